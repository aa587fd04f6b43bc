//! `find_entitlement_graph` (protocol 4): every page of `GET /api/group-tree` and
//! `GET /api/role-implications`; membership of a nested group implies membership of the group
//! around it, and the admin role implies membership of the Admins group.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, case4, check4, gid};

const SCOPE: CapabilityName = CapabilityName::FindEntitlementGraph;

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

fn member(group: &str, label: &str) -> Value {
    json!({"id": "member", "entitlement_type": "member", "resource_id": group,
           "is_assignable": true, "denies_access": false, "label": label, "description": null})
}

#[rstest]
#[case::nested_groups_and_the_admin_role(
    case4(SCOPE)
        .mock(tree())
        .mock(HttpMock::get("/api/role-implications").respond_json(
            200,
            json!({"implications": [{"role_id": "admin", "role_name": "Administrator",
                                     "group_ids": [gid(1)]}]}),
        ))
        .expect_response(json!({
            "nodes": [
                member("g-001", "Member of Admins"),
                member("g-009", "Member of Admins 2"),
                {"id": "admin", "entitlement_type": "role", "resource_id": "", "is_assignable": true,
                 "denies_access": false, "label": "Administrator", "description": null},
            ],
            "entitlement_implications": [
                {"from_entitlement": {"entitlement_id": "member", "resource_id": "g-009"},
                 "to_entitlements": [{"entitlement_id": "member", "resource_id": "g-001"}]},
                {"from_entitlement": {"entitlement_id": "admin", "resource_id": ""},
                 "to_entitlements": [{"entitlement_id": "member", "resource_id": "g-001"}]},
            ],
            "custom_attributes": [],
            "access_graph_entitlement_rules": [],
            "access_graph_implied_access_rules": [],
        }))
)]
#[case::wrong_password_is_unauthorized(
    case4(SCOPE)
        .mock(
            HttpMock::get("/api/group-tree?limit=1000")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::server_error_on_the_roles(
    case4(SCOPE)
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
