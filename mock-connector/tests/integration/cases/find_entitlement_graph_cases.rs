//! `find_entitlement_graph` (protocol 4): every page of `GET /api/group-tree` and
//! `GET /api/role-implications`; membership of a nested group implies membership of the group
//! around it, and the admin role implies membership of the Admins group.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, app_page, check4, gid, of4};

type Read = marker::FindEntitlementGraph;

fn tree() -> HttpMock {
    HttpMock::get("/api/group-tree?limit=1000").respond_json(
        200,
        app_page(
            "groups",
            vec![
                json!({"id": gid(1), "name": "Admins", "subgroups": [gid(9)], "workspaces": []}),
                json!({"id": gid(9), "name": "Admins 2", "subgroups": [], "workspaces": []}),
            ],
            None,
        ),
    )
}

fn member(group: &str, label: &str) -> wire::AccessGraphEntitlement {
    wire::AccessGraphEntitlement {
        id: "member".to_owned(),
        entitlement_type: "member".to_owned(),
        resource_id: group.to_owned(),
        is_assignable: Some(true),
        denies_access: false,
        label: label.to_owned(),
        description: None,
    }
}

fn id(entitlement: &str, resource: &str) -> wire::AccessGraphEntitlementIdentifier {
    wire::AccessGraphEntitlementIdentifier {
        entitlement_id: entitlement.to_owned(),
        resource_id: resource.to_owned(),
    }
}

fn implies(
    from: wire::AccessGraphEntitlementIdentifier,
    to: &str,
) -> wire::AccessGraphImpliedAccess {
    wire::AccessGraphImpliedAccess {
        from_entitlement: from,
        to_entitlements: vec![id("member", to)],
    }
}

#[rstest]
#[case::nested_groups_and_the_admin_role(
    of4::<Read>(wire::FindEntitlementGraph::default())
        .mock(tree())
        .mock(HttpMock::get("/api/role-implications").respond_json(
            200,
            json!({"implications": [{"role_id": "admin", "role_name": "Administrator",
                                     "group_ids": [gid(1)]}]}),
        ))
        .expect_response(wire::EntitlementGraph {
            nodes: vec![
                member("g-001", "Member of Admins"),
                member("g-009", "Member of Admins 2"),
                wire::AccessGraphEntitlement {
                    id: "admin".to_owned(),
                    entitlement_type: "role".to_owned(),
                    resource_id: String::new(),
                    is_assignable: Some(true),
                    denies_access: false,
                    label: "Administrator".to_owned(),
                    description: None,
                },
            ],
            entitlement_implications: vec![
                implies(id("member", "g-009"), "g-001"),
                implies(id("admin", ""), "g-001"),
            ],
            custom_attributes: Vec::new(),
            access_graph_entitlement_rules: Vec::new(),
            access_graph_implied_access_rules: Vec::new(),
        })
)]
#[case::wrong_password_is_unauthorized(
    of4::<Read>(wire::FindEntitlementGraph::default())
        .mock(
            HttpMock::get("/api/group-tree?limit=1000")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::server_error_on_the_roles(
    of4::<Read>(wire::FindEntitlementGraph::default())
        .mock(tree())
        .mock(HttpMock::get("/api/role-implications").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn find_entitlement_graph(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
