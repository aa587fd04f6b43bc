//! The connector against a real Samba Active Directory domain controller (see `samba.rs`).

use serde_json::{Value, json};

use crate::samba::{self, ADMIN_DN, ADMIN_PASSWORD, BASE_DN, dc};
use crate::support::{Call, basic, exactly_once, field};

/// Held by the test that creates and deletes an account and by the test that maps every
/// membership to a listed account, so the one never sees the other's account half-way.
static ACCOUNT_SET: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub(crate) fn account_set() -> std::sync::MutexGuard<'static, ()> {
    ACCOUNT_SET
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Settings for the shared DC over LDAPS; `overrides` replace or add fields.
pub(crate) fn ad_settings(overrides: Value) -> Value {
    let dc = dc();
    let mut settings = json!({
        "server_url": dc.ldaps_url,
        "base_dn": BASE_DN,
        "ca_bundle": dc.ca_pem,
    });
    if let (Some(base), Some(extra)) = (settings.as_object_mut(), overrides.as_object()) {
        for (key, value) in extra {
            base.insert(key.clone(), value.clone());
        }
    }
    settings
}

/// A call as the domain administrator against the shared DC.
pub(crate) fn ad_call(capability: &'static str, overrides: Value) -> Call {
    let mut call = Call::new(capability).auth(basic(ADMIN_DN, ADMIN_PASSWORD));
    call.settings = ad_settings(overrides);
    call
}

#[test]
fn hand_set_ad_settings_list_the_seeded_users() {
    let call = ad_call(
        "list_accounts",
        json!({
            "user_filter": "(&(objectCategory=person)(objectClass=user))",
            "uid_attribute": "sAMAccountName",
            "page_key_attribute": "uSNCreated",
        }),
    );
    let names = exactly_once(field(&call.pages(500), "username"));
    for (name, _) in samba::SEED_USERS {
        assert!(names.contains(name), "{name} missing");
    }
    assert!(names.contains(&samba::bulk_name(samba::BIG_GROUP_MEMBERS - 1)));
}

/// The accounts of a full listing with only `directory` set, by username.
fn accounts_by_name() -> std::collections::BTreeMap<String, Value> {
    let call = ad_call("list_accounts", json!({"directory": "active_directory"}));
    call.pages(1_000)
        .into_iter()
        .flatten()
        .map(|account| {
            (
                account["username"].as_str().expect("a username").to_owned(),
                account,
            )
        })
        .collect()
}

#[test]
fn the_ad_profile_reports_disabled_locked_and_expired_users() {
    let accounts = accounts_by_name();
    let status = |name: &str| {
        accounts[name]["user_status"]
            .as_str()
            .expect("a status")
            .to_owned()
    };
    assert_eq!(status("alice"), "ACTIVE");
    assert_eq!(status("Administrator"), "ACTIVE");
    assert_eq!(status("disabled1"), "SUSPENDED");
    assert_eq!(status("Guest"), "SUSPENDED");
    assert_eq!(status("krbtgt"), "SUSPENDED");
    assert_eq!(status("locked1"), "SUSPENDED");
    assert_eq!(accounts["locked1"]["extra_data"]["ad_state"], "locked_out");
    assert_eq!(status("expired1"), "INACTIVE");
    assert_eq!(accounts["alice"]["email"], "alice@ad.test");
    assert_eq!(
        accounts["alice"]["extra_data"]["userPrincipalName"],
        "alice@ad.test"
    );
    assert!(
        accounts.len() > samba::BIG_GROUP_MEMBERS,
        "{}",
        accounts.len()
    );
}

#[test]
fn deactivate_and_activate_flip_accountdisable_and_keep_the_other_flags() {
    let dn = samba::seed_user("flip1");
    let dc = dc();
    dc.bind(&dn, samba::USER_PASSWORD)
        .expect("flip1 can bind at first");
    // DONT_EXPIRE_PASSWORD (0x10000) must survive both changes.
    dc.modify(&format!(
        "dn: {dn}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 66048\n-\n\n"
    ))
    .expect("set DONT_EXPIRE_PASSWORD");
    let profile = json!({"directory": "active_directory"});
    let id = accounts_by_name()["flip1"]["integration_specific_id"].clone();
    let uac = || accounts_by_name()["flip1"]["extra_data"]["userAccountControl"].clone();
    for _ in 0..2 {
        let answer = ad_call("deactivate_account", profile.clone())
            .request(json!({"account_id": id}))
            .ok();
        assert_eq!(answer["status"], "SUSPENDED");
        assert_eq!(uac(), "66050");
        assert!(
            dc.bind(&dn, samba::USER_PASSWORD).is_err(),
            "a disabled account binds"
        );
    }
    for _ in 0..2 {
        let answer = ad_call("activate_account", profile.clone())
            .request(json!({"account_id": id}))
            .ok();
        assert_eq!(answer["status"], "ACTIVE");
        assert_eq!(uac(), "66048");
        dc.bind(&dn, samba::USER_PASSWORD)
            .expect("flip1 binds again");
    }
    // A group's GUID, a DN, `..` and a 100 kB string (argv's limit) are no account ids.
    let outer = group_ids()[&samba::seed_group("outer").to_lowercase()].clone();
    for bad in [
        json!(outer),
        json!(dn),
        json!(".."),
        json!("a".repeat(100_000)),
    ] {
        ad_call("deactivate_account", profile.clone())
            .request(json!({"account_id": bad}))
            .error("not_found");
    }
}

#[test]
fn ad_memberships_include_the_primary_group_and_all_of_a_big_group_and_no_nested_group() {
    let _guard = account_set();
    let call = ad_call(
        "find_entitlement_associations",
        json!({"directory": "active_directory"}),
    );
    let pages = call.pages(700);
    // Ids are objectGUIDs: the listings say which DN each names.
    let account_dns: std::collections::BTreeMap<String, String> = accounts_by_name()
        .values()
        .map(|a| {
            let id = a["integration_specific_id"]
                .as_str()
                .expect("an id")
                .to_owned();
            (
                id,
                a["extra_data"]["dn"].as_str().expect("a dn").to_lowercase(),
            )
        })
        .collect();
    let group_dns: std::collections::BTreeMap<String, String> =
        group_ids().into_iter().map(|(dn, id)| (id, dn)).collect();
    let pairs: Vec<(String, String)> = pages
        .iter()
        .flatten()
        .map(|a| {
            let text = |field: &str| a[field].as_str().expect("a string").to_owned();
            let account = account_dns
                .get(&text("account_id"))
                .expect("an account's id");
            let group = group_dns
                .get(&text("integration_specific_entitlement_id"))
                .expect("a group's id");
            (account.clone(), group.clone())
        })
        .collect();
    let total = pairs.len();
    let pairs: std::collections::BTreeSet<_> = pairs.into_iter().collect();
    assert_eq!(pairs.len(), total, "an association arrived twice");
    let members_of = |group: &str| -> std::collections::BTreeSet<String> {
        let group = group.to_lowercase();
        pairs
            .iter()
            .filter(|(_, g)| *g == group)
            .map(|(a, _)| a.clone())
            .collect()
    };
    let big = members_of(&samba::seed_group("big"));
    assert_eq!(
        big.len(),
        samba::BIG_GROUP_MEMBERS,
        "the big group is incomplete"
    );
    let outer = members_of(&samba::seed_group("outer"));
    let alice = samba::seed_user("alice").to_lowercase();
    assert_eq!(
        outer,
        [alice.clone()].into(),
        "a nested group is not an account"
    );
    let domain_users = members_of(&format!("CN=Domain Users,CN=Users,{BASE_DN}"));
    assert!(
        domain_users.contains(&alice),
        "Domain Users (primary group) misses alice"
    );
    assert!(domain_users.contains(&ADMIN_DN.to_lowercase()));
    assert!(
        domain_users.len() > samba::BIG_GROUP_MEMBERS,
        "{}",
        domain_users.len()
    );
    let guests = members_of(&format!("CN=Domain Guests,CN=Users,{BASE_DN}"));
    assert!(guests.contains(&format!("cn=guest,cn=users,{BASE_DN}").to_lowercase()));
}

/// The groups' ids (objectGUIDs) by lowercase DN.
fn group_ids() -> std::collections::BTreeMap<String, String> {
    ad_call(
        "list_entitlements",
        json!({"directory": "active_directory"}),
    )
    .pages(1_000)
    .into_iter()
    .flatten()
    .map(|g| {
        let dn = g["extra_data"]["dn"].as_str().expect("a dn").to_lowercase();
        (
            dn,
            g["integration_specific_id"]
                .as_str()
                .expect("an id")
                .to_owned(),
        )
    })
    .collect()
}

#[test]
fn a_renamed_and_moved_account_keeps_its_objectguid_id() {
    let before = accounts_by_name()["rename1"].clone();
    let id = before["integration_specific_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_eq!(id.len(), 36, "an objectGUID: {id}");
    dc().modify(&format!(
        "dn: {}\nchangetype: modrdn\nnewrdn: CN=renamed1\ndeleteoldrdn: 1\nnewsuperior: {}\n\n",
        samba::seed_user("rename1"),
        samba::GROUPS_OU
    ))
    .expect("rename and move");
    let after = accounts_by_name()["rename1"].clone();
    assert_eq!(after["integration_specific_id"], id.as_str());
    assert_eq!(
        after["extra_data"]["dn"],
        format!("CN=renamed1,{}", samba::GROUPS_OU)
    );
    // Lookups by the id find the account where it is now.
    let answer = ad_call(
        "deactivate_account",
        json!({"directory": "active_directory"}),
    )
    .request(json!({"account_id": id}))
    .ok();
    assert_eq!(answer["status"], "SUSPENDED");
    ad_call("activate_account", json!({"directory": "active_directory"}))
        .request(json!({"account_id": id}))
        .ok();
}

#[test]
fn create_bind_deactivate_activate_delete_a_working_ad_user() {
    let _guard = account_set();
    let dc = dc();
    let profile = json!({"directory": "active_directory", "user_search_base": samba::SEED_OU});
    let request = json!({
        "username": "newhire1", "given_name": "New", "family_name": "Hire",
        "email": "newhire1@ad.test", "entitlements": []
    });
    // The password is only sent over TLS.
    let plain = json!({"directory": "active_directory", "server_url": "ldap://127.0.0.1:389"});
    ad_call("create_account", plain)
        .request(request.clone())
        .error("invalid_value");
    let created = ad_call("create_account", profile.clone())
        .request(request)
        .ok();
    assert_eq!(created["status"], "ACTIVE");
    let dn = samba::seed_user("newhire1");
    let account = accounts_by_name()["newhire1"].clone();
    assert_eq!(account["user_status"], "ACTIVE");
    assert_eq!(
        account["extra_data"]["userPrincipalName"],
        "newhire1@ad.test"
    );
    let id = account["integration_specific_id"].clone();
    // The connector's random password is never shown: the test sets its own.
    dc.modify(&samba::set_password_ldif(&dn, "Test-Set-Pw-26!"))
        .expect("reset the password");
    dc.bind(&dn, "Test-Set-Pw-26!").expect("the new user binds");
    ad_call("deactivate_account", profile.clone())
        .request(json!({"account_id": id}))
        .ok();
    assert!(
        dc.bind(&dn, "Test-Set-Pw-26!").is_err(),
        "a disabled user binds"
    );
    ad_call("activate_account", profile.clone())
        .request(json!({"account_id": id}))
        .ok();
    dc.bind(&dn, "Test-Set-Pw-26!")
        .expect("the user binds again");
    let deleted = ad_call("delete_account", profile.clone())
        .request(json!({"account_id": id}))
        .ok();
    assert_eq!(deleted["status"], "DELETED");
    assert!(!accounts_by_name().contains_key("newhire1"));
    ad_call("activate_account", profile)
        .request(json!({"account_id": id}))
        .error("not_found");
}

/// The moment `seconds` ago as an RFC 3339 date-time in UTC.
fn rfc3339_seconds_ago(seconds: u64) -> String {
    let now = std::time::SystemTime::now() - std::time::Duration::from_secs(seconds);
    crate::updates::rfc3339(now)
}

#[test]
fn ad_update_account_is_seen_by_when_changed_and_get_account_by_objectguid() {
    let _guard = account_set();
    let profile = json!({"directory": "active_directory", "user_search_base": samba::SEED_OU});
    let created = ad_call("create_account", profile.clone())
        .request(json!({
            "username": "p4upd1", "given_name": "Before", "family_name": "Update",
            "email": "p4upd1@ad.test", "entitlements": []
        }))
        .ok();
    assert_eq!(created["created"], true);
    let id = accounts_by_name()["p4upd1"]["integration_specific_id"]
        .as_str()
        .expect("an objectGUID")
        .to_owned();
    // whenChanged counts seconds: `since` is at least a second after the creation.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    let since = rfc3339_seconds_ago(1);
    let updated_ids = |since: &str| -> Vec<String> {
        let mut ids = Vec::new();
        let mut cursor = Value::Null;
        loop {
            let response = ad_call("list_updated_accounts", profile.clone())
                .protocol4()
                .request(json!({"since": since, "cursor": cursor}))
                .ok();
            for account in response["accounts"].as_array().expect("accounts") {
                ids.push(
                    account["integration_specific_id"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                );
            }
            match &response["cursor"] {
                Value::String(_) => cursor = response["cursor"].clone(),
                _ => return ids,
            }
        }
    };
    assert!(
        !updated_ids(&since).contains(&id),
        "not changed since {since} yet"
    );
    let answer = ad_call("update_account", profile.clone())
        .protocol4()
        .request(json!({"id": id, "given_name": "After", "user_status": "SUSPENDED"}))
        .ok();
    assert_eq!(
        answer,
        json!({"id": id, "given_name": "After", "user_status": "SUSPENDED"})
    );
    assert!(updated_ids(&since).contains(&id), "changed since {since}");
    let account = ad_call("get_account", profile.clone())
        .protocol4()
        .request(json!({"account_id": id}))
        .ok();
    assert_eq!(account["given_name"], "After");
    assert_eq!(account["user_status"], "SUSPENDED");
    assert_eq!(account["extra_data"]["ad_state"], "disabled");
    // A DN is no AD id.
    ad_call("get_account", profile.clone())
        .protocol4()
        .request(json!({"account_id": samba::seed_user("p4upd1")}))
        .error("not_found");
    ad_call("delete_account", profile)
        .request(json!({"account_id": id}))
        .ok();
}

/// The group ids `get_account_entitlement_associations` gives for an account, in pages of
/// `size`.
fn account_groups(
    profile: Value,
    account_id: &str,
    size: u32,
) -> std::collections::BTreeSet<String> {
    ad_call("get_account_entitlement_associations", profile)
        .protocol4()
        .request(json!({"account_id": account_id}))
        .pages(size)
        .into_iter()
        .flatten()
        .map(|a| {
            a["integration_specific_entitlement_id"]
                .as_str()
                .expect("an id")
                .to_owned()
        })
        .collect()
}

#[test]
fn ad_account_groups_include_the_primary_group_as_find_reports_them() {
    let profile = json!({"directory": "active_directory"});
    let alice = accounts_by_name()["alice"]["integration_specific_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let groups = account_groups(profile.clone(), &alice, 2);
    let found: std::collections::BTreeSet<String> =
        ad_call("find_entitlement_associations", profile)
            .pages(1_000)
            .into_iter()
            .flatten()
            .filter(|a| a["account_id"] == alice.as_str())
            .map(|a| {
                a["integration_specific_entitlement_id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
    let by_dn = group_ids();
    let domain_users = by_dn
        .iter()
        .find(|(dn, _)| dn.starts_with("cn=domain users,"))
        .map(|(_, id)| id.clone())
        .expect("Domain Users");
    assert!(
        groups.contains(&domain_users),
        "the primary group: {groups:?}"
    );
    assert_eq!(groups, found);
}

/// Protocol 4's entitlement graph on AD: nodes by objectGUID, exactly the groups
/// `list_entitlements` lists; the seeded nesting (inner in outer) is an implication; no
/// account is ever a node or an edge's end (the big group's 3,000 members are accounts).
#[test]
fn the_ad_entitlement_graph_states_the_nesting_by_objectguid() {
    let ids = group_ids();
    let graph = ad_call(
        "find_entitlement_graph",
        json!({"directory": "active_directory"}),
    )
    .protocol4()
    .ok();
    let nodes: std::collections::BTreeSet<String> = graph["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(nodes, ids.values().cloned().collect());
    let id_of = |name: &str| ids[&samba::seed_group(name).to_lowercase()].clone();
    let mut edges = std::collections::BTreeMap::new();
    for edge in graph["entitlement_implications"]
        .as_array()
        .expect("implications")
    {
        let from = edge["from_entitlement"]["entitlement_id"]
            .as_str()
            .expect("an id")
            .to_owned();
        let to: Vec<String> = edge["to_entitlements"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|t| t["entitlement_id"].as_str().expect("an id").to_owned())
            .collect();
        assert!(nodes.contains(&from), "{from} is not a group");
        assert!(to.iter().all(|t| nodes.contains(t)), "{to:?}");
        edges.insert(from, to);
    }
    assert_eq!(edges.get(&id_of("inner")), Some(&vec![id_of("outer")]));
    assert!(!edges.contains_key(&id_of("big")), "big is in no group");
}

/// With `transitive_memberships` on AD (the in-chain matching rule): bob, in `inner`, is a
/// member of `outer` too, in both listings; without it he is not.
#[test]
fn ad_transitive_memberships_use_the_in_chain_rule() {
    let ids = group_ids();
    let id_of = |name: &str| ids[&samba::seed_group(name).to_lowercase()].clone();
    let bob = accounts_by_name()["bob"]["integration_specific_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    for (transitive, in_outer) in [(true, true), (false, false)] {
        let profile =
            json!({"directory": "active_directory", "transitive_memberships": transitive});
        let groups = account_groups(profile.clone(), &bob, 100);
        assert!(groups.contains(&id_of("inner")));
        assert_eq!(groups.contains(&id_of("outer")), in_outer, "{groups:?}");
        let outer_members: std::collections::BTreeSet<String> =
            ad_call("find_entitlement_associations", profile)
                .pages(1_000)
                .into_iter()
                .flatten()
                .filter(|a| a["integration_specific_entitlement_id"] == id_of("outer").as_str())
                .map(|a| a["account_id"].as_str().unwrap().to_owned())
                .collect();
        assert_eq!(outer_members.contains(&bob), in_outer, "{outer_members:?}");
    }
}

/// StartTLS on the DC's plain port, with the run's CA: the AD profile lists the seeded users;
/// a simple bind on the plain port without it is refused by the DC (Samba requires strong
/// authentication there), so the credential never crosses in clear.
#[test]
fn ad_over_starttls_lists_and_a_plain_bind_is_refused() {
    let plain = "ldap://127.0.0.1:389";
    let names = exactly_once(field(
        &ad_call(
            "list_accounts",
            json!({"directory": "active_directory", "server_url": plain, "start_tls": true}),
        )
        .pages(1_000),
        "username",
    ));
    for (name, _) in samba::SEED_USERS {
        assert!(names.contains(name), "{name} missing");
    }
    let refused = ad_call(
        "validate_credentials",
        json!({"directory": "active_directory", "server_url": plain}),
    )
    .run();
    assert_eq!(refused["error"]["error_code"], "unauthorized", "{refused}");
    assert_eq!(refused["error"]["app_error_code"], "ldap:8", "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("use ldaps:// or settings.start_tls")),
        "{refused}"
    );
    assert!(!refused.to_string().contains(ADMIN_PASSWORD), "{refused}");
}
