//! `get_account_entitlement_associations` (protocol 4): one account's groups (`member`) and roles (on the app); `GET /api/users/u-0000003/memberships?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, gid, of4, page_token, uid};

type Listing = marker::GetAccountEntitlementAssociations;
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
fn item(n: usize) -> wire::FoundEntitlementAssociation {
    let (entitlement, resource) = if n == 3 {
        ("admin".to_owned(), String::new())
    } else {
        ("member".to_owned(), gid(n + 1))
    };
    wire::FoundEntitlementAssociation {
        account_id: uid(3),
        integration_specific_entitlement_id: entitlement,
        integration_specific_resource_id: resource,
    }
}

fn request() -> wire::GetAccountEntitlementAssociations {
    wire::GetAccountEntitlementAssociations { account_id: uid(3) }
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/users/u-0000003/memberships?limit=2").respond_json(
            200,
            app_page("memberships", vec![app_item(1), app_item(2)], Some("group:g-003")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"group:g-003")), Some(2))
        .mock(
            HttpMock::get("/api/users/u-0000003/memberships?limit=2&after=group:g-003")
                .respond_json(200, app_page("memberships", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/users/u-0000003/memberships?limit=100")
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
        .mock(HttpMock::get("/api/users/u-0000003/memberships?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn get_account_entitlement_associations(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
