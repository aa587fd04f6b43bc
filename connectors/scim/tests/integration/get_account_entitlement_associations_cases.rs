//! `get_account_entitlement_associations`: the user's direct groups, from its `groups` where
//! the server fills it, else the groups whose members include it (a quoted SCIM filter).

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, TypedCase};
use rstest::rstest;
use serde_json::{Value, json};

use crate::support::{check, list, route, scim_error, typed, user};

fn groups_of(account_id: &str) -> TypedCase<marker::GetAccountEntitlementAssociations> {
    typed::<marker::GetAccountEntitlementAssociations>(wire::GetAccountEntitlementAssociations {
        account_id: account_id.to_owned(),
    })
}

fn membership(account_id: &str, group: &str) -> wire::FoundEntitlementAssociation {
    wire::FoundEntitlementAssociation {
        account_id: account_id.to_owned(),
        integration_specific_entitlement_id: "member".to_owned(),
        integration_specific_resource_id: group.to_owned(),
    }
}

fn filtering(supported: bool) -> HttpMock {
    route("GET", "/ServiceProviderConfig")
        .respond_json(200, json!({"filter": {"supported": supported}}))
}

fn with_groups(groups: Value) -> Value {
    let mut user = user("u1", true);
    user["groups"] = groups;
    user
}

#[rstest]
#[case::the_users_direct_groups(
    groups_of("u1")
        .mock(route("GET", "/Users/u1").respond_json(200, with_groups(json!([
            {"value": "g1", "display": "Admins", "type": "direct"},
            {"value": "g2", "type": "indirect"},
            {"value": "g3"},
        ]))))
        .expect_items(vec![membership("u1", "g1"), membership("u1", "g3")])
)]
#[case::by_a_group_filter_when_the_user_has_no_groups(
    groups_of("u1")
        .page(None, Some(2))
        .mock(route("GET", "/Users/u1").respond_json(200, user("u1", true)))
        .mock(filtering(true))
        .mock(route("GET", "/Groups?filter=members.value+eq+%22u1%22&startIndex=1&count=2&sortBy=meta.created&attributes=id")
            .respond_json(200, list(3, 1, vec![json!({"id": "g1"}), json!({"id": "g2"})])))
        .expect_items_and_next_page(vec![membership("u1", "g1"), membership("u1", "g2")], Some(2))
)]
#[case::a_quote_in_the_id_stays_in_the_filter_string(
    groups_of("u\"1")
        .mock(route("GET", "/Users/u%221").respond_json(200, user("u\"1", true)))
        .mock(filtering(true))
        .mock(route("GET", "/Groups?filter=members.value+eq+%22u%5C%221%22&startIndex=1&count=100&sortBy=meta.created&attributes=id")
            .respond_json(200, list(0, 1, vec![])))
        .expect_items(vec![])
)]
#[case::a_missing_user_is_not_found(
    groups_of("ghost")
        .mock(route("GET", "/Users/ghost").respond_json(404, scim_error(404, None, "not found")))
        .expect_error(ErrorCode::NotFound)
)]
#[case::a_server_that_does_not_filter_is_refused(
    groups_of("u1")
        .mock(route("GET", "/Users/u1").respond_json(200, user("u1", true)))
        .mock(filtering(false))
        .expect_error(ErrorCode::UnsupportedOperation)
        .message("neither reports a user's groups nor supports filtering")
)]
fn get_account_entitlement_associations(#[case] case: impl Into<Case>) {
    check(case);
}
