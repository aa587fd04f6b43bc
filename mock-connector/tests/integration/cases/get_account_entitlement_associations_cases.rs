//! `get_account_entitlement_associations` (protocol 4): one account's groups (`member`) and roles (on the app); `GET /api/users/u-0000003/memberships?limit&after`, the app's cursor in a page token.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, case4, check4, gid, page_token, uid};

const SCOPE: CapabilityName = CapabilityName::GetAccountEntitlementAssociations;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    if n == 3 {
        json!({"kind": "role", "id": "admin"})
    } else {
        json!({"kind": "group", "id": gid(n + 1)})
    }
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> Value {
    if n == 3 {
        json!({"account_id": uid(3), "integration_specific_entitlement_id": "admin", "integration_specific_resource_id": ""})
    } else {
        json!({"account_id": uid(3), "integration_specific_entitlement_id": "member", "integration_specific_resource_id": gid(n + 1)})
    }
}

/// The case with its payload.
fn base() -> Case {
    case4(SCOPE).payload(json!({"account_id": uid(3)}))
}

#[rstest]
#[case::first_page(
    base()
        .page(None, Some(2))
        .mock(HttpMock::get("/api/users/u-0000003/memberships?limit=2").respond_json(
            200,
            app_page("memberships", vec![app_item(1), app_item(2)], Some("group:g-003")),
        ))
        .expect_items_and_next_page(json!(vec![item(1), item(2)]), Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    base()
        .page(Some(&page_token(SCOPE, &["group:g-003"])), Some(2))
        .mock(
            HttpMock::get("/api/users/u-0000003/memberships?limit=2&after=group:g-003")
                .respond_json(200, app_page("memberships", vec![app_item(3)], None)),
        )
        .expect_items(json!([item(3)]))
)]
#[case::wrong_password_is_unauthorized(
    base()
        .mock(
            HttpMock::get("/api/users/u-0000003/memberships?limit=100")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_of_another_listing_is_refused(
    base()
        .page(Some(&page_token(CapabilityName::ListAccounts, &["u-0000001"])), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
#[case::server_error(
    base()
        .mock(HttpMock::get("/api/users/u-0000003/memberships?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn get_account_entitlement_associations(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
