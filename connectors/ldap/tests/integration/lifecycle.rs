//! Creating, deactivating, activating and deleting accounts on the real server, checked
//! through the connector's own listings and through binds.

use rstest::rstest;
use serde_json::{Value, json};

use crate::slapd::{SCRATCH, scratch, team};
use crate::support::{Call, basic, user};

fn in_scratch(capability: &'static str) -> Call {
    Call::new(capability).settings(json!({"user_search_base": SCRATCH}))
}

/// The scratch account with this DN, as `list_accounts` reports it.
fn listed(dn: &str) -> Option<Value> {
    in_scratch("list_accounts")
        .pages(1_000)
        .into_iter()
        .flatten()
        .find(|a| {
            a["integration_specific_id"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(dn)
        })
}

fn can_bind(dn: &str) -> bool {
    let document = Call::new("validate_credentials").auth(user(dn)).run();
    match document["error"]["error_code"].as_str() {
        None => true,
        Some("unauthorized") => false,
        Some(other) => panic!("binding as {dn}: {other}: {document}"),
    }
}

#[rstest]
#[case::an_active_account("lock-1", 1)]
#[case::twice_is_still_suspended("lock-2", 2)]
fn deactivation_locks_the_account(#[case] uid: &str, #[case] times: usize) {
    let dn = scratch(&format!("uid={uid}"));
    assert!(can_bind(&dn));
    for _ in 0..times {
        let response = in_scratch("deactivate_account")
            .request(json!({"account_id": dn}))
            .ok();
        assert_eq!(
            response,
            json!({"status": "SUSPENDED", "deactivated": true})
        );
    }
    assert_eq!(listed(&dn).unwrap()["user_status"], "SUSPENDED");
    assert!(!can_bind(&dn), "ppolicy refuses a locked account's bind");
}

#[rstest]
#[case::a_locked_account("unlock-1", true)]
#[case::an_active_account("unlock-2", false)]
fn activation_unlocks_the_account(#[case] uid: &str, #[case] locked_before: bool) {
    let dn = scratch(&format!("uid={uid}"));
    assert_eq!(can_bind(&dn), !locked_before);
    let response = in_scratch("activate_account")
        .request(json!({"account_id": dn}))
        .ok();
    assert_eq!(response, json!({"status": "ACTIVE", "activated": true}));
    assert_eq!(listed(&dn).unwrap()["user_status"], "ACTIVE");
    assert!(can_bind(&dn));
}

#[rstest]
#[case::activate("activate_account")]
#[case::deactivate("deactivate_account")]
#[case::delete("delete_account")]
fn changing_a_missing_account_is_not_found(#[case] capability: &'static str) {
    in_scratch(capability)
        .request(json!({"account_id": scratch("uid=ghost")}))
        .error("not_found");
}

#[test]
fn deletion_removes_the_entry_and_its_memberships() {
    let dn = scratch("uid=delete-1");
    assert!(listed(&dn).is_some());
    let response = in_scratch("delete_account")
        .request(json!({"account_id": dn}))
        .ok();
    assert_eq!(response, json!({"status": "DELETED", "deleted": true}));
    assert!(listed(&dn).is_none());
    let memberships = Call::new("find_entitlement_associations")
        .settings(json!({"group_search_base": "ou=teams,dc=example,dc=com"}))
        .pages(100);
    assert!(
        !memberships
            .iter()
            .flatten()
            .any(|a| a["account_id"].as_str().unwrap().eq_ignore_ascii_case(&dn)),
        "delete-1 left team-d"
    );
    in_scratch("delete_account")
        .request(json!({"account_id": dn}))
        .error("not_found");
}

#[rstest]
#[case::minimal(json!({"username": "new-minimal"}), "new-minimal", "ACTIVE")]
#[case::full(
    json!({
        "username": "new-full", "email": "full@example.com", "given_name": "Fay", "family_name": "Fuller",
        "extra_data": {"title": "Analyst", "telephoneNumber": ["+1 555 0100", "+1 555 0101"], "employeeNumber": 42},
        "entitlements": [{"integration_specific_resource_id": "dc=example,dc=com", "entitlement_type": "member",
                          "integration_specific_id": team("team-a")}]
    }),
    "new-full",
    "ACTIVE"
)]
#[case::suspended(json!({"username": "new-suspended", "user_status": "SUSPENDED"}), "new-suspended", "SUSPENDED")]
#[case::username_from_email(json!({"email": "new-derived@example.com"}), "new-derived", "ACTIVE")]
fn created_accounts_appear_as_asked(
    #[case] mut request: Value,
    #[case] uid: &str,
    #[case] status: &str,
) {
    if request.get("entitlements").is_none() {
        request["entitlements"] = json!([]);
    }
    let response = in_scratch("create_account").request(request.clone()).ok();
    assert_eq!(response, json!({"status": status, "created": true}));
    let dn = scratch(&format!("uid={uid}"));
    let account = listed(&dn).unwrap_or_else(|| panic!("{dn} is listed"));
    assert_eq!(account["username"], uid);
    assert_eq!(account["user_status"], status);
    if let Some(email) = request.get("email") {
        assert_eq!(&account["email"], email);
    }
    if uid == "new-full" {
        assert_eq!(account["given_name"], "Fay");
        assert_eq!(account["family_name"], "Fuller");
        assert_eq!(account["extra_data"]["cn"], "Fay Fuller");
        let custom = in_scratch("list_accounts")
            .request(json!({"custom_attributes": ["telephoneNumber", "employeeNumber"]}))
            .pages(1_000)
            .into_iter()
            .flatten()
            .find(|a| a["username"] == uid)
            .unwrap();
        assert_eq!(custom["custom_attributes"]["employeeNumber"], "42");
        let phones = custom["custom_attributes"]["telephoneNumber"]
            .as_str()
            .unwrap();
        assert!(phones.contains("+1 555 0100") && phones.contains("+1 555 0101"));
        let members = Call::new("find_entitlement_associations")
            .settings(json!({"group_search_base": "ou=teams,dc=example,dc=com"}))
            .pages(100);
        assert!(members.iter().flatten().any(|a| {
            a["account_id"].as_str().unwrap().eq_ignore_ascii_case(&dn)
                && a["integration_specific_entitlement_id"]
                    .as_str()
                    .unwrap()
                    .eq_ignore_ascii_case(&team("team-a"))
        }));
    }
    if status == "ACTIVE" {
        // A created account has no password: it exists but cannot bind yet.
        let document = Call::new("validate_credentials")
            .auth(basic(&dn, "anything"))
            .run();
        assert_eq!(document["error"]["error_code"], "unauthorized");
    }
}

#[rstest]
#[case::an_existing_username(json!({"username": "spare-1"}), "invalid_value", Some("ldap:68"))]
#[case::no_username_nor_email(json!({"given_name": "Nameless"}), "invalid_value", None)]
#[case::an_attribute_the_schema_lacks(json!({"username": "new-bad-attr", "extra_data": {"favouriteColour": "blue"}}), "invalid_value", Some("ldap:17"))]
#[case::a_status_ldap_cannot_hold(json!({"username": "new-bad-status", "user_status": "PENDING"}), "invalid_value", None)]
#[case::a_group_that_does_not_exist(
    json!({"username": "new-bad-group", "entitlements": [{"entitlement_type": "member", "integration_specific_id": "cn=nope,ou=teams,dc=example,dc=com"}]}),
    "not_found",
    None
)]
fn bad_creations_fail(
    #[case] mut request: Value,
    #[case] code: &str,
    #[case] app_code: Option<&str>,
) {
    if request.get("entitlements").is_none() {
        request["entitlements"] = json!([]);
    }
    let error = in_scratch("create_account").request(request).error(code);
    if let Some(app_code) = app_code {
        assert_eq!(error["app_error_code"], app_code, "{error}");
    }
}
