//! `list_accounts` on the staff: the attribute mapping, the lock status, custom attributes,
//! paging at every size (and under a server-side size limit), and page tokens.

use rstest::rstest;
use serde_json::{Value, json};

use crate::slapd::{STAFF, STAFF_USERS, staff};
use crate::support::{Call, exactly_once, field, lower, user};

fn staff_listing() -> Call {
    Call::new("list_accounts").settings(json!({"user_search_base": STAFF}))
}

fn all_staff() -> std::collections::BTreeSet<String> {
    lower(STAFF_USERS.iter().map(|(uid, ..)| staff(uid)))
}

#[test]
fn accounts_carry_the_mapped_attributes_and_the_lock_status() {
    let accounts = staff_listing().page(json!({"size": 100})).ok();
    let accounts = accounts.as_array().unwrap();
    assert_eq!(accounts.len(), STAFF_USERS.len());
    for (uid, given, family, _title, locked) in STAFF_USERS {
        let dn = staff(uid);
        let account = accounts
            .iter()
            .find(|a| {
                a["integration_specific_id"]
                    .as_str()
                    .unwrap()
                    .eq_ignore_ascii_case(&dn)
            })
            .unwrap_or_else(|| panic!("{dn} is listed"));
        assert_eq!(account["username"], uid);
        assert_eq!(account["email"], format!("{uid}@example.com"));
        assert_eq!(account["given_name"], given);
        assert_eq!(account["family_name"], family);
        assert_eq!(account["account_type"], "user");
        assert_eq!(
            account["user_status"],
            if locked { "SUSPENDED" } else { "ACTIVE" },
            "{account}"
        );
        assert_eq!(account["extra_data"]["cn"], format!("{given} {family}"));
        assert_eq!(account["custom_attributes"], Value::Null);
    }
}

#[test]
fn custom_attributes_are_read_when_asked_for() {
    let accounts = staff_listing()
        .request(json!({"custom_attributes": ["title", "manager", "employeeNumber"]}))
        .ok();
    let alice = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "alice")
        .unwrap()
        .clone();
    assert_eq!(
        alice["custom_attributes"],
        json!({"manager": staff("carol"), "title": "Engineer"})
    );
}

#[rstest]
#[case::one(1)]
#[case::two(2)]
#[case::four(4)]
#[case::exactly_all(6)]
#[case::one_more_than_all(7)]
#[case::large(1_000)]
fn every_page_size_lists_every_account_once(#[case] size: u32) {
    let pages = staff_listing().pages(size);
    let expected_pages = STAFF_USERS.len().div_ceil(size as usize);
    assert_eq!(pages.len(), expected_pages, "{pages:?}");
    let ids = exactly_once(field(&pages, "integration_specific_id"));
    assert_eq!(lower(ids), all_staff());
}

#[test]
fn a_server_size_limit_below_the_page_size_only_shortens_pages() {
    // The server returns at most 3 entries to uid=limited.
    let pages = staff_listing().auth(user(&staff("limited"))).pages(5);
    assert!(pages.iter().all(|p| p.len() <= 3), "{pages:?}");
    let ids = exactly_once(field(&pages, "integration_specific_id"));
    assert_eq!(lower(ids), all_staff());
}

#[test]
fn the_settings_page_size_applies_when_the_request_has_none() {
    let document = Call::new("list_accounts")
        .settings(json!({"user_search_base": STAFF, "page_size": 2}))
        .run();
    assert_eq!(document["response"].as_array().unwrap().len(), 2);
    assert!(document["page"]["token"].is_string());
}

#[rstest]
#[case::garbage("bm90LWEtdG9rZW4", json!({}))]
#[case::another_listings_token("", json!({}))]
#[case::another_page_key("", json!({"page_key_attribute": "entryCSN"}))]
fn foreign_tokens_are_invalid_page_tokens(#[case] token: &str, #[case] settings: Value) {
    let token = if token.is_empty() {
        // A real token: of list_entitlements, or of list_accounts under another page key.
        let capability = if settings.as_object().unwrap().is_empty() {
            "list_entitlements"
        } else {
            "list_accounts"
        };
        let document = Call::new(capability).page(json!({"size": 1})).run();
        document["page"]["token"].as_str().unwrap().to_owned()
    } else {
        token.to_owned()
    };
    let mut overrides = json!({"user_search_base": STAFF});
    for (key, value) in settings.as_object().unwrap() {
        overrides[key] = value.clone();
    }
    Call::new("list_accounts")
        .settings(overrides)
        .page(json!({"size": 2, "token": token}))
        .error("invalid_page_token");
}
