//! `find_resource_graph` (protocol 4): every page of `GET /api/group-tree`; groups contain
//! groups and application workspaces.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, gid, of4};

type Read = marker::FindResourceGraph;

/// Group 1 holding group 9 and Slack's workspace, as the tree lists it.
fn admins() -> Value {
    json!({"id": gid(1), "name": "Admins", "subgroups": [gid(9)],
           "workspaces": [{"id": "ws-01", "name": "Slack workspace"}]})
}

/// Group 9, holding nothing.
fn admins_2() -> Value {
    json!({"id": gid(9), "name": "Admins 2", "subgroups": [], "workspaces": []})
}

fn resource(id: &str, kind: &str, label: &str, terminal: bool) -> wire::AccessGraphResource {
    wire::AccessGraphResource {
        id: id.to_owned(),
        resource_type: kind.to_owned(),
        reference: None,
        label: label.to_owned(),
        description: None,
        is_terminal: Some(terminal),
        is_credential_bearing: None,
        linked_credential_ids: None,
    }
}

fn graph() -> wire::ResourceGraph {
    wire::ResourceGraph {
        resources: vec![
            resource("g-001", "group", "Admins", false),
            resource("ws-01", "workspace", "Slack workspace", true),
            resource("g-009", "group", "Admins 2", true),
        ],
        resource_relationships: vec![wire::AccessGraphResourceRelationship {
            from_id: "g-001".to_owned(),
            to_ids: vec!["g-009".to_owned(), "ws-01".to_owned()],
            label: "contains".to_owned(),
        }],
        custom_attributes: Vec::new(),
    }
}

#[rstest]
#[case::one_page(
    of4::<Read>(wire::FindResourceGraph::default())
        .mock(HttpMock::get("/api/group-tree?limit=1000").respond_json(
            200,
            app_page("groups", vec![admins(), admins_2()], None),
        ))
        .expect_response(graph())
)]
#[case::every_page_of_the_tree(
    of4::<Read>(wire::FindResourceGraph::default())
        .mock(HttpMock::get("/api/group-tree?limit=1000").respond_json(
            200,
            app_page("groups", vec![admins()], Some("g-001")),
        ))
        .mock(
            HttpMock::get("/api/group-tree?limit=1000&after=g-001")
                .respond_json(200, app_page("groups", vec![admins_2()], None)),
        )
        .expect_response(graph())
)]
#[case::a_cursor_handed_back_stops_the_walk(
    of4::<Read>(wire::FindResourceGraph::default())
        .mock(HttpMock::get("/api/group-tree?limit=1000").respond_json(
            200,
            app_page("groups", vec![admins()], Some("g-001")),
        ))
        .mock(
            HttpMock::get("/api/group-tree?limit=1000&after=g-001")
                .respond_json(200, app_page("groups", vec![admins_2()], Some("g-001"))),
        )
        .expect_error(ErrorCode::InvalidResponse)
        .message("handed out a cursor it had already handed out")
)]
#[case::wrong_password_is_unauthorized(
    of4::<Read>(wire::FindResourceGraph::default())
        .mock(
            HttpMock::get("/api/group-tree?limit=1000")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
fn find_resource_graph(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
