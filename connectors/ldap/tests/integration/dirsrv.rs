//! The connector against a real 389 Directory Server (see `ds389.rs`), configured with nothing
//! but the server, the base DN, the Directory Manager's credentials and `"directory": "389ds"`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::ds389::{
    BASE_DN, GROUP_MEMBERS, MANAGER_DN, MANAGER_PASSWORD, USERS, ds, group, password, person,
};
use crate::support::{Call, basic, exactly_once, field, lower};

/// The only settings the 389-ds tests give.
fn profile() -> Value {
    json!({"server_url": ds().url, "base_dn": BASE_DN, "directory": "389ds"})
}

/// A call as the Directory Manager with [`profile`].
fn call(capability: &'static str) -> Call {
    Call::against(capability, basic(MANAGER_DN, MANAGER_PASSWORD), profile())
}

/// Every account of a listing in pages of 2, by username (each arriving once).
fn accounts() -> BTreeMap<String, Value> {
    let pages = call("list_accounts").pages(2);
    exactly_once(field(&pages, "integration_specific_id"));
    pages
        .into_iter()
        .flatten()
        .map(|a| (a["username"].as_str().expect("a username").to_owned(), a))
        .collect()
}

/// Whether `uid` can bind with its password, through the connector's own
/// `validate_credentials`.
fn connector_bind(uid: &str) -> Result<(), Value> {
    let document = Call::against(
        "validate_credentials",
        basic(&person(uid), &password(uid)),
        profile(),
    )
    .run();
    match document.get("error") {
        None => Ok(()),
        Some(error) => Err(error.clone()),
    }
}

#[test]
fn the_389ds_profile_lists_the_seeded_accounts_with_their_lock() {
    let accounts = accounts();
    assert_eq!(
        accounts.keys().cloned().collect::<BTreeSet<_>>(),
        USERS.iter().map(|(uid, ..)| (*uid).to_owned()).collect(),
        "{accounts:?}"
    );
    for (uid, given, family, lock) in USERS {
        let account = &accounts[uid];
        assert!(
            account["integration_specific_id"]
                .as_str()
                .expect("an id")
                .eq_ignore_ascii_case(&person(uid)),
            "{account}"
        );
        assert_eq!(account["email"], format!("{uid}@example.com"), "{account}");
        assert_eq!(account["given_name"], given, "{account}");
        assert_eq!(account["family_name"], family, "{account}");
        let status = if lock == Some("true") {
            "SUSPENDED"
        } else {
            "ACTIVE"
        };
        assert_eq!(account["user_status"], status, "{account}");
        if let Some(lock) = lock {
            assert_eq!(account["extra_data"]["nsAccountLock"], lock, "{account}");
        }
    }
}

#[test]
fn the_389ds_profile_lists_groups_and_memberships() {
    let pages = call("list_entitlements").pages(2);
    let groups = exactly_once(field(&pages, "integration_specific_id"));
    assert_eq!(
        lower(groups),
        lower(GROUP_MEMBERS.iter().map(|(cn, _)| group(cn)))
    );
    for entitlement in pages.iter().flatten() {
        assert_eq!(entitlement["entitlement_type"], "member");
        assert_eq!(entitlement["integration_specific_resource_id"], BASE_DN);
        let label = entitlement["label"].as_str().expect("a label");
        assert_eq!(
            entitlement["extra_data"]["description"],
            format!("The {label} group")
        );
    }

    let memberships = |pages: Vec<Vec<Value>>| -> Vec<String> {
        pages
            .into_iter()
            .flatten()
            .map(|a| {
                format!(
                    "{} -> {}",
                    a["account_id"].as_str().expect("an account"),
                    a["integration_specific_entitlement_id"]
                        .as_str()
                        .expect("a group")
                )
                .to_lowercase()
            })
            .collect()
    };
    let expected: BTreeSet<String> = GROUP_MEMBERS
        .iter()
        .flat_map(|(cn, members)| {
            members
                .iter()
                .map(move |uid| format!("{} -> {}", person(uid), group(cn)).to_lowercase())
        })
        .collect();
    let found = exactly_once(memberships(call("find_entitlement_associations").pages(3)));
    assert_eq!(found, expected);

    let ann = call("get_account_entitlement_associations")
        .protocol4()
        .request(json!({"account_id": person("ann")}))
        .pages(1);
    let ann = exactly_once(memberships(ann));
    let expected_for_ann: BTreeSet<String> = expected
        .iter()
        .filter(|pair| pair.starts_with(&person("ann").to_lowercase()))
        .cloned()
        .collect();
    assert_eq!(ann.len(), 2, "{ann:?}");
    assert_eq!(ann, expected_for_ann);
}

#[test]
fn a_seeded_locked_account_cannot_bind() {
    let ds = ds();
    ds.bind(&person("ann"), &password("ann"))
        .expect("an unlocked account binds");
    ds.bind(&person("eve"), &password("eve"))
        .expect("nsAccountLock: false does not lock");
    let refused = ds
        .bind(&person("dan"), &password("dan"))
        .expect_err("389-ds refuses a locked account's bind");
    assert!(refused.contains("inactivated"), "{refused}");
}

#[test]
fn deactivate_locks_the_bind_out_and_activate_lets_it_in_again() {
    let ds = ds();
    let dn = person("flip");
    let status = || accounts()["flip"]["user_status"].clone();
    ds.bind(&dn, &password("flip"))
        .expect("flip can bind at first");
    connector_bind("flip").expect("and through the connector");
    assert_eq!(status(), "ACTIVE");

    let deactivated = call("deactivate_account")
        .request(json!({"account_id": dn}))
        .ok();
    assert_eq!(
        deactivated,
        json!({"status": "SUSPENDED", "deactivated": true})
    );
    let entry = ds.read(&dn, &["nsAccountLock"]).expect("flip's entry");
    assert!(
        entry.to_lowercase().contains("nsaccountlock: true"),
        "{entry}"
    );
    let refused = ds
        .bind(&dn, &password("flip"))
        .expect_err("389-ds refuses the bind of a locked account");
    assert!(refused.contains("inactivated"), "{refused}");
    let error = connector_bind("flip").expect_err("the connector's bind fails too");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("inactivated"),
        "{error}"
    );
    assert_eq!(status(), "SUSPENDED");

    let activated = call("activate_account")
        .request(json!({"account_id": dn}))
        .ok();
    assert_eq!(activated, json!({"status": "ACTIVE", "activated": true}));
    let entry = ds.read(&dn, &["nsAccountLock"]).expect("flip's entry");
    assert!(!entry.to_lowercase().contains("nsaccountlock"), "{entry}");
    ds.bind(&dn, &password("flip"))
        .expect("flip binds again once activated");
    connector_bind("flip").expect("and through the connector");
    assert_eq!(status(), "ACTIVE");
}

#[test]
fn the_instance_stamps_entry_uuids_for_the_page_key() {
    let entry = ds()
        .read(&person("ann"), &["entryUUID"])
        .expect("ann's entry");
    assert!(entry.contains("entryUUID: "), "{entry}");
}

#[test]
fn ldaps_and_start_tls_with_the_ca_bundle_list_the_same_accounts() {
    let ds = ds();
    let names = |settings: Value| -> BTreeSet<String> {
        let call = Call::against(
            "list_accounts",
            basic(MANAGER_DN, MANAGER_PASSWORD),
            settings,
        );
        exactly_once(field(&call.pages(10), "username"))
    };
    let expected: BTreeSet<String> = USERS.iter().map(|(uid, ..)| (*uid).to_owned()).collect();
    let ldaps = json!({
        "server_url": ds.ldaps_url, "base_dn": BASE_DN, "directory": "389ds",
        "ca_bundle": ds.ca_pem,
    });
    assert_eq!(names(ldaps), expected);
    let start_tls = json!({
        "server_url": ds.url, "base_dn": BASE_DN, "directory": "389ds",
        "start_tls": true, "ca_bundle": ds.ca_pem,
    });
    assert_eq!(names(start_tls), expected);
}

#[test]
fn ldaps_without_the_ca_is_refused() {
    let ds = ds();
    let document = Call::against(
        "list_accounts",
        basic(MANAGER_DN, MANAGER_PASSWORD),
        json!({"server_url": ds.ldaps_url, "base_dn": BASE_DN, "directory": "389ds"}),
    )
    .run();
    assert_eq!(document["is_error"], true, "{document}");
    let message = document["error"]["message"].as_str().unwrap_or_default();
    assert!(message.to_lowercase().contains("certificate"), "{document}");
}
