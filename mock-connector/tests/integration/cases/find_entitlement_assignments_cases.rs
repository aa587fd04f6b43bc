//! `find_entitlement_assignments` (protocol 4): which group is a member of which, paged over the group tree; `GET /api/group-tree?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, gid, of4, page_token};

type Listing = marker::FindEntitlementAssignments;
const SCOPE: CapabilityName = CapabilityName::FindEntitlementAssignments;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": gid(n), "name": format!("Group {n}"), "subgroups": [gid(n + 8)], "workspaces": []})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::AccessGraphEntitlementAssignment {
    wire::AccessGraphEntitlementAssignment {
        resource_id: gid(n + 8),
        entitlement_id: "member".to_owned(),
        entitlement_resource_id: gid(n),
    }
}

fn request() -> wire::FindEntitlementAssignments {
    wire::FindEntitlementAssignments {}
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/group-tree?limit=2").respond_json(
            200,
            app_page("groups", vec![app_item(1), app_item(2)], Some("g-002")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"g-002")), Some(2))
        .mock(
            HttpMock::get("/api/group-tree?limit=2&after=g-002")
                .respond_json(200, app_page("groups", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/group-tree?limit=100")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_of_another_listing_is_refused(
    of4::<Listing>(request())
        .page(Some(&page_token(CapabilityName::ListAccounts, &"u-0000001")), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
#[case::server_error(
    of4::<Listing>(request())
        .mock(HttpMock::get("/api/group-tree?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn find_entitlement_assignments(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
