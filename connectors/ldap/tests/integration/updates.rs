//! Protocol 4's single-account capabilities on the real server: `get_account`,
//! `update_account`, `list_updated_accounts` (by `modifyTimestamp`) and
//! `get_account_entitlement_associations`, each envelope checked against the 4.x schema.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::slapd::{PEOPLE, SCRATCH, STAFF, STAFF_USERS, group, person, scratch, staff};
use crate::support::{Call, exactly_once, lower};

/// A protocol 4 call with the scratch users.
fn in_scratch(capability: &'static str) -> Call {
    Call::new(capability)
        .settings(json!({"user_search_base": SCRATCH}))
        .protocol4()
}

/// `time` as an RFC 3339 date-time in UTC, to the second.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The ids `list_updated_accounts` reports since `since`, following its own cursor (pages of
/// two accounts).
fn updated_since(call: &Call, since: &str) -> Vec<Value> {
    let mut accounts = Vec::new();
    let mut cursor = Value::Null;
    for _ in 0..10_000 {
        let response = call
            .clone()
            .request(json!({"since": since, "cursor": cursor}))
            .ok();
        accounts.extend(
            response["accounts"]
                .as_array()
                .expect("accounts")
                .iter()
                .cloned(),
        );
        match &response["cursor"] {
            Value::String(_) => cursor = response["cursor"].clone(),
            _ => return accounts,
        }
    }
    panic!("list_updated_accounts did not end");
}

fn ids(accounts: &[Value]) -> BTreeSet<String> {
    lower(
        accounts
            .iter()
            .map(|a| a["integration_specific_id"].as_str().unwrap().to_owned()),
    )
}

#[test]
fn an_update_is_seen_by_list_updated_accounts_and_get_account() {
    let created = Call::new("create_account")
        .settings(json!({"user_search_base": SCRATCH}))
        .request(json!({
            "username": "p4-update", "email": "p4.before@example.com",
            "given_name": "Before", "family_name": "Update", "entitlements": [],
        }))
        .ok();
    assert_eq!(created["created"], true);
    let dn = scratch("uid=p4-update");
    // modifyTimestamp counts seconds: `since` is a second before the update and at least a
    // second after the creation, so only the update can bring the account into the listing.
    std::thread::sleep(Duration::from_millis(2_100));
    let since = rfc3339(SystemTime::now() - Duration::from_secs(1));
    let listing = in_scratch("list_updated_accounts").settings(json!({
        "user_search_base": SCRATCH, "page_size": 2,
    }));
    assert!(
        !ids(&updated_since(&listing, &since)).contains(&dn.to_lowercase()),
        "the account did not change since {since} yet"
    );

    let change = json!({
        "id": dn, "given_name": "After", "email": "p4.after@example.com",
        "family_name": "Update", "user_status": "SUSPENDED",
    });
    let document = in_scratch("update_account").request(change.clone()).run();
    assert_eq!(
        document["response"],
        json!({"id": dn, "given_name": "After", "email": "p4.after@example.com", "user_status": "SUSPENDED"}),
        "the family name was already so: {document}"
    );
    assert_eq!(
        document["execution_summary"]["effect"],
        json!({"kind": "updated"})
    );
    let again = in_scratch("update_account").request(change).run();
    assert_eq!(again["response"], json!({"id": dn}), "{again}");
    assert_eq!(
        again["execution_summary"]["effect"],
        json!({"kind": "noop", "reason": "state_already_matches"})
    );

    let updated = updated_since(&listing, &since);
    let ours: Vec<&Value> = updated
        .iter()
        .filter(|a| {
            a["integration_specific_id"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(&dn)
        })
        .collect();
    assert_eq!(ours.len(), 1, "listed once since {since}: {updated:?}");
    assert_eq!(ours[0]["given_name"], "After");

    let account = in_scratch("get_account")
        .request(json!({"account_id": dn, "custom_attributes": ["cn"]}))
        .ok();
    assert!(
        account["integration_specific_id"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case(&dn)
    );
    assert_eq!(account["given_name"], "After");
    assert_eq!(account["family_name"], "Update");
    assert_eq!(account["email"], "p4.after@example.com");
    assert_eq!(account["username"], "p4-update");
    assert_eq!(account["user_status"], "SUSPENDED");
    assert_eq!(account["custom_attributes"], json!({"cn": "Before Update"}));

    // Back to active, the email removed.
    let back = in_scratch("update_account")
        .request(json!({"id": dn, "active": true, "email": null}))
        .ok();
    assert_eq!(back, json!({"id": dn, "active": true, "email": null}));
    let account = in_scratch("get_account")
        .request(json!({"account_id": dn}))
        .ok();
    assert_eq!(account["user_status"], "ACTIVE");
    assert_eq!(account["email"], Value::Null);
}

#[test]
fn list_updated_accounts_pages_every_changed_account_once() {
    let call = Call::new("list_updated_accounts")
        .settings(json!({"user_search_base": STAFF, "page_size": 2}))
        .protocol4();
    let listed = updated_since(&call, "2000-01-01T00:00:00+02:00");
    let ids = exactly_once(
        listed
            .iter()
            .map(|a| a["integration_specific_id"].as_str().unwrap().to_owned())
            .collect(),
    );
    assert_eq!(
        lower(ids),
        lower(STAFF_USERS.iter().map(|(uid, ..)| staff(uid)))
    );
    let future = updated_since(&call, "2999-01-01T00:00:00Z");
    assert!(future.is_empty(), "{future:?}");
}

#[test]
fn an_accounts_groups_are_its_memberships() {
    let alice = staff("alice");
    let pages = Call::new("get_account_entitlement_associations")
        .settings(json!({"user_search_base": STAFF}))
        .protocol4()
        .request(json!({"account_id": alice}))
        .pages(1);
    let groups: BTreeSet<String> = pages
        .iter()
        .flatten()
        .map(|a| {
            assert_eq!(a["account_id"], alice.as_str());
            assert_eq!(a["integration_specific_resource_id"], "dc=example,dc=com");
            a["integration_specific_entitlement_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        lower(groups.clone()),
        lower(["engineers", "everyone", "nested"].map(group)),
        "{pages:?}"
    );
    // As find_entitlement_associations reports them.
    let all = Call::new("find_entitlement_associations")
        .settings(json!({"user_search_base": STAFF}))
        .pages(1_000);
    let found: BTreeSet<String> = all
        .iter()
        .flatten()
        .filter(|a| {
            a["account_id"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(&alice)
        })
        .map(|a| {
            a["integration_specific_entitlement_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(lower(groups), lower(found));
    let bulk = Call::new("get_account_entitlement_associations")
        .settings(json!({"user_search_base": PEOPLE}))
        .protocol4()
        .request(json!({"account_id": person(5)}))
        .ok();
    assert_eq!(
        bulk,
        json!([{"account_id": person(5), "integration_specific_entitlement_id": group("bulk"),
                "integration_specific_resource_id": "dc=example,dc=com"}])
    );
}

#[test]
fn ids_with_filter_metacharacters_or_dots_name_no_account() {
    let staff_call = |capability: &'static str| {
        Call::new(capability)
            .settings(json!({"user_search_base": STAFF}))
            .protocol4()
    };
    for id in [
        "*",
        "*)(uid=*",
        "..",
        "../ou=people",
        "uid=*,ou=staff,dc=example,dc=com",
        "uid=*)(uid=*,ou=staff,dc=example,dc=com",
        "uid=ghost,ou=staff,dc=example,dc=com",
        // An account outside the user base.
        "uid=user00001,ou=people,dc=example,dc=com",
        "",
    ] {
        for capability in ["get_account", "get_account_entitlement_associations"] {
            let error = staff_call(capability)
                .request(json!({"account_id": id}))
                .error("not_found");
            assert!(
                error["message"].as_str().unwrap().contains("No account"),
                "{capability} {id:?}: {error}"
            );
        }
        staff_call("update_account")
            .request(json!({"id": id, "given_name": "X"}))
            .error("not_found");
    }
}

#[test]
fn bad_input_is_refused_before_the_directory_is_asked() {
    let erin = staff("erin");
    let call = |capability: &'static str| {
        Call::new(capability)
            .settings(json!({"user_search_base": STAFF}))
            .protocol4()
    };
    // An unknown key: refused even for an id that names no account, so before any lookup.
    for id in [erin.as_str(), "uid=ghost,ou=staff,dc=example,dc=com"] {
        let error = call("update_account")
            .request(json!({"id": id, "given_name": "X", "userPassword": "p"}))
            .error("bad_request");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("\"userPassword\""),
            "{error}"
        );
    }
    call("update_account")
        .request(json!({"id": erin, "email": ["a@x", "b@x"]}))
        .error("bad_request");
    // The username is the RDN: renaming would change the id.
    call("update_account")
        .request(json!({"id": erin, "username": "mallory"}))
        .error("invalid_value");
    let account = call("get_account")
        .request(json!({"account_id": erin}))
        .ok();
    assert_eq!(account["given_name"], "Erin");
    assert_eq!(account["username"], "erin");
    // A `since` that is no date-time never reaches a filter.
    let error = call("list_updated_accounts")
        .request(json!({"since": "2020-01-01T00:00:00Z)(uid=*"}))
        .error("bad_request");
    assert!(
        error["message"].as_str().unwrap().contains("RFC 3339"),
        "{error}"
    );
    call("list_updated_accounts")
        .request(json!({"since": "2020-01-01T00:00:00Z", "cursor": "bm90LWEtY3Vyc29y"}))
        .error("invalid_page_token");
}

#[test]
fn protocol_3_7_8_does_not_know_the_protocol_4_capabilities() {
    let output = crate::support::connector()
        .args(["get_account", "--json", "{}"])
        .output()
        .expect("the connector runs");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unrecognized subcommand 'get_account'"),
        "{stderr}"
    );
    let info = crate::support::connector()
        .arg("info")
        .output()
        .expect("the connector runs");
    let info = String::from_utf8_lossy(&info.stdout);
    for capability in [
        "get_account",
        "update_account",
        "list_updated_accounts",
        "get_account_entitlement_associations",
    ] {
        assert!(!info.contains(capability), "3.7.8 info names {capability}");
    }
}
