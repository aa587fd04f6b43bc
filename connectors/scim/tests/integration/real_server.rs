//! Every capability through the compiled binary against the real scim2-server the tests
//! start (10,000 users, 50 groups), one process per call as the on-prem agent runs it.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use crate::scim_server::{self, ENTERPRISE_SCHEMA, USER_COUNT, server};

/// Held by the tests that delete users and by the full drain: a deletion during an offset-paged
/// sync can hide one account until the next sync (see `src/read.rs`), which the drain test
/// would rightly report as lost.
static DELETIONS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs one capability; the envelope.
fn call(capability: &str, request: Value, page: Option<Value>) -> Value {
    let server = server();
    let mut envelope = json!({
        "auth": {"token": {"token": server.token}},
        "settings": {"base_url": server.base_url},
        "request": request,
    });
    if let Some(page) = page {
        envelope["page"] = page;
    }
    let output = Command::new(env!("CARGO_BIN_EXE_scim-connector"))
        .args([capability, "--json", &envelope.to_string()])
        .output()
        .expect("the connector runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("one JSON document")
}

/// Drains a listing page by page (`size` per page); the items and the number of pages.
fn drain(
    capability: &str,
    request: Value,
    size: u32,
    mut between: impl FnMut(usize),
) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = match &token {
            Some(token) => json!({"size": size, "token": token}),
            None => json!({"size": size}),
        };
        let envelope = call(capability, request.clone(), Some(page));
        assert!(envelope["is_error"] != true, "{envelope}");
        items.extend(envelope["response"].as_array().unwrap().iter().cloned());
        pages += 1;
        between(pages);
        match envelope["page"]["token"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return (items, pages),
        }
    }
}

fn ids(items: &[Value], field: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[field].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn validate_credentials_names_the_scim_root() {
    let envelope = call("validate_credentials", json!({}), None);
    assert_eq!(envelope["response"]["valid"], true, "{envelope}");
    assert_eq!(
        envelope["response"]["unique_tenant_id"],
        server().base_url.as_str()
    );
    let mut wrong = json!({"auth": {"token": {"token": "wrong"}}, "settings": {"base_url": server().base_url}, "request": {}});
    wrong["auth"]["token"]["token"] = json!("not-the-token");
    let output = Command::new(env!("CARGO_BIN_EXE_scim-connector"))
        .args(["validate_credentials", "--json", &wrong.to_string()])
        .output()
        .unwrap();
    let envelope: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        envelope["error"]["error_code"], "unauthorized",
        "{envelope}"
    );
}

#[test]
fn a_full_drain_of_10000_users_loses_and_repeats_nothing_even_with_creations_mid_sync() {
    let server = server();
    let _no_deletions = DELETIONS.lock().unwrap_or_else(|p| p.into_inner());
    let started = Instant::now();
    let mut created = Vec::new();
    let (accounts, pages) = drain("list_accounts", json!({}), 500, |page| {
        // Accounts created while the sync runs (after pages 3 and 10).
        if page == 3 || page == 10 {
            let user = json!({
                "schemas": [scim_server::USER_SCHEMA],
                "userName": format!("midsync-{page}"),
            });
            let answer = server.request("POST", "/Users", Some(&user)).unwrap();
            assert_eq!(answer.status, 201, "{:?}", answer.body);
            created.push(answer.body["id"].as_str().unwrap().to_owned());
        }
    });
    let elapsed = started.elapsed();
    let listed = ids(&accounts, "integration_specific_id");
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "an account was listed twice");
    for id in &server.user_ids {
        assert!(unique.contains(id), "seeded user {id} was lost");
    }
    assert!(pages >= USER_COUNT / 500);
    eprintln!(
        "drained {} accounts in {pages} processes of 500 in {:.2} s ({:.0} ms per page)",
        listed.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / pages as f64
    );
    for id in created {
        server
            .request("DELETE", &format!("/Users/{id}"), None)
            .unwrap();
    }
}

#[test]
fn users_map_to_accounts_with_status_email_and_custom_attributes() {
    let department = format!("{ENTERPRISE_SCHEMA}:department");
    let envelope = call(
        "list_accounts",
        json!({"custom_attributes": [department]}),
        Some(json!({"size": 20})),
    );
    let accounts = envelope["response"].as_array().unwrap();
    assert_eq!(accounts.len(), 20);
    let by_name: HashMap<&str, &Value> = accounts
        .iter()
        .map(|a| (a["username"].as_str().unwrap(), a))
        .collect();
    for i in 0..USER_COUNT {
        let Some(account) = by_name.get(scim_server::user_name(i).as_str()) else {
            continue;
        };
        assert_eq!(account["email"], scim_server::email(i));
        assert_eq!(account["given_name"], scim_server::given_name(i));
        let status = if scim_server::is_active(i) {
            "ACTIVE"
        } else {
            "SUSPENDED"
        };
        assert_eq!(account["user_status"], status);
        match scim_server::department(i) {
            Some(d) => assert_eq!(account["custom_attributes"][&department], d, "{account}"),
            None => assert_eq!(account["custom_attributes"], Value::Null),
        }
    }
}

#[test]
fn groups_entitlements_and_every_membership() {
    let server = server();
    let (resources, _) = drain("list_resources", json!({}), 20, |_| {});
    let groups: BTreeSet<String> = ids(&resources, "integration_specific_id")
        .into_iter()
        .collect();
    assert_eq!(groups, server.group_ids.iter().cloned().collect());
    let (entitlements, _) = drain("list_entitlements", json!({}), 500, |_| {});
    assert_eq!(entitlements.len(), 50);
    let (associations, _) = drain("find_entitlement_associations", json!({}), 500, |_| {});
    let pairs: BTreeSet<(String, String)> = associations
        .iter()
        .map(|a| {
            (
                a["account_id"].as_str().unwrap().to_owned(),
                a["integration_specific_resource_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(
        pairs.len(),
        associations.len(),
        "an association was listed twice"
    );
    let expected: usize = (0..USER_COUNT)
        .map(|i| scim_server::groups_of(i).len())
        .sum();
    assert_eq!(associations.len(), expected);
    for i in [0, 99, 1234, USER_COUNT - 1] {
        for g in scim_server::groups_of(i) {
            let pair = (server.user_ids[i].clone(), server.group_ids[g].clone());
            assert!(pairs.contains(&pair), "user {i} in group {g} is missing");
        }
    }
}

#[test]
fn the_write_round_trip_against_the_server() {
    let server = server();
    let _deleting = DELETIONS.lock().unwrap_or_else(|p| p.into_inner());
    let email = "round.trip@example.com";
    let created = call(
        "create_account",
        json!({"email": email, "given_name": "Round", "family_name": "Trip", "entitlements": []}),
        None,
    );
    assert_eq!(created["response"]["created"], true, "{created}");
    let found = server
        .get(&format!(
            "/Users?filter=userName%20eq%20%22{}%22",
            email.replace('@', "%40")
        ))
        .unwrap();
    let id = found.body["Resources"][0]["id"]
        .as_str()
        .expect("the user exists")
        .to_owned();
    // A second account with the same userName is refused by the server.
    let again = call(
        "create_account",
        json!({"email": email, "entitlements": []}),
        None,
    );
    assert_eq!(again["error"]["error_code"], "invalid_value", "{again}");
    assert_eq!(again["error"]["app_error_code"], "uniqueness");

    let group = server.group_ids[7].clone();
    let entitlement = json!({
        "account_integration_specific_id": id, "resource_integration_specific_id": group,
        "resource_type": "group", "entitlement_type": "member", "entitlement_integration_specific_id": "member",
    });
    let members = |server: &scim_server::ScimServer| -> Vec<String> {
        let group = server.get(&format!("/Groups/{group}")).unwrap();
        group.body["members"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| m["value"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        call("assign_entitlement", entitlement.clone(), None)["response"]["assigned"],
        true
    );
    assert!(members(server).contains(&id));
    assert_eq!(
        call("unassign_entitlement", entitlement, None)["response"]["unassigned"],
        true
    );
    assert!(!members(server).contains(&id));

    for (capability, active) in [("deactivate_account", false), ("activate_account", true)] {
        let envelope = call(capability, json!({"account_id": id}), None);
        assert!(envelope["is_error"] != true, "{envelope}");
        let user = server.get(&format!("/Users/{id}")).unwrap();
        assert_eq!(user.body["active"], active, "{capability}");
    }
    let deleted = call("delete_account", json!({"account_id": id}), None);
    assert_eq!(deleted["response"]["deleted"], true);
    assert_eq!(server.get(&format!("/Users/{id}")).unwrap().status, 404);
    let missing = call("delete_account", json!({"account_id": id}), None);
    assert_eq!(missing["error"]["error_code"], "not_found", "{missing}");
    assert!(
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not found"),
        "{missing}"
    );
}

#[test]
fn without_patch_active_is_changed_by_put_with_the_etag() {
    let server = scim_server::ScimServer::start_without_patch().expect("a second scim2-server");
    assert_eq!(server.service_provider_config["patch"]["supported"], false);
    let user =
        json!({"schemas": [scim_server::USER_SCHEMA], "userName": "no-patch", "active": true});
    let created = server.request("POST", "/Users", Some(&user)).unwrap();
    let id = created.body["id"].as_str().unwrap().to_owned();
    let envelope = json!({
        "auth": {"token": {"token": server.token}},
        "settings": {"base_url": server.base_url},
        "request": {"account_id": id},
    });
    let output = Command::new(env!("CARGO_BIN_EXE_scim-connector"))
        .args(["deactivate_account", "--json", &envelope.to_string()])
        .output()
        .unwrap();
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["response"]["deactivated"], true, "{answer}");
    let after = server.get(&format!("/Users/{id}")).unwrap();
    assert_eq!(after.body["active"], false, "{:?}", after.body);
    assert_eq!(
        after.body["userName"], "no-patch",
        "the PUT kept the other attributes"
    );
}

/// Runs one capability in protocol 4 against `server`; the envelope, which must match the 4.x
/// wire schema.
fn call4_on(server: &scim_server::ScimServer, capability: &str, request: Value) -> Value {
    let envelope = json!({
        "auth": {"token": {"token": server.token}},
        "settings": {"base_url": server.base_url},
        "request": request,
    });
    let output = Command::new(env!("CARGO_BIN_EXE_scim-connector"))
        .args([
            capability,
            "--protocol",
            "4",
            "--json",
            &envelope.to_string(),
        ])
        .output()
        .expect("the connector runs");
    assert!(output.status.success(), "{output:?}");
    let envelope: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    let name: connector_sdk::wire::CapabilityName =
        serde_json::from_value(json!(capability)).expect("a capability name");
    let problems = connector_testkit::protocol4::problems(name, &envelope);
    assert!(
        problems.is_empty(),
        "{capability}: {problems:?} in {envelope}"
    );
    envelope
}

fn call4(capability: &str, request: Value) -> Value {
    call4_on(server(), capability, request)
}

/// Every account `list_updated_accounts` reports since `since`, following its own cursor.
fn updated_since(since: &str) -> Vec<Value> {
    let mut accounts = Vec::new();
    let mut cursor = Value::Null;
    for _ in 0..1_000 {
        let envelope = call4(
            "list_updated_accounts",
            json!({"since": since, "cursor": cursor}),
        );
        assert!(envelope["is_error"] != true, "{envelope}");
        let response = &envelope["response"];
        accounts.extend(response["accounts"].as_array().unwrap().iter().cloned());
        match &response["cursor"] {
            Value::String(_) => cursor = response["cursor"].clone(),
            _ => return accounts,
        }
    }
    panic!("list_updated_accounts did not end");
}

#[test]
fn an_update_is_seen_by_list_updated_accounts_and_get_account() {
    let server = server();
    let _deleting = DELETIONS.lock().unwrap_or_else(|p| p.into_inner());
    let user = json!({
        "schemas": [scim_server::USER_SCHEMA],
        "userName": "p4-update",
        "name": {"givenName": "Before", "familyName": "Update"},
        "emails": [{"value": "p4.before@example.com", "type": "work", "primary": true}],
        "active": true,
    });
    let created = server.request("POST", "/Users", Some(&user)).unwrap();
    assert_eq!(created.status, 201, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    // The moment the user was created: the update comes after it, the seed before it.
    let since = created.body["meta"]["lastModified"]
        .as_str()
        .unwrap()
        .to_owned();

    let change = json!({
        "id": id,
        "given_name": "After",
        "email": "p4.after@example.com",
        "user_status": "SUSPENDED",
        "family_name": "Update",
    });
    let updated = call4("update_account", change.clone());
    assert_eq!(
        updated["response"],
        json!({"id": id, "given_name": "After", "email": "p4.after@example.com", "user_status": "SUSPENDED"}),
        "the family name was already so: {updated}"
    );
    assert_eq!(
        updated["execution_summary"]["effect"],
        json!({"kind": "updated"}),
        "{updated}"
    );
    let again = call4("update_account", change);
    assert_eq!(again["response"], json!({"id": id}), "{again}");
    assert_eq!(
        again["execution_summary"]["effect"],
        json!({"kind": "noop", "reason": "state_already_matches"}),
        "{again}"
    );

    let listed = updated_since(&since);
    let ours: Vec<&Value> = listed
        .iter()
        .filter(|a| a["integration_specific_id"] == id.as_str())
        .collect();
    assert_eq!(ours.len(), 1, "the updated user is listed once: {listed:?}");
    assert_eq!(ours[0]["given_name"], "After");
    let seeded: BTreeSet<&String> = server.user_ids.iter().collect();
    assert!(
        listed
            .iter()
            .all(|a| !seeded.contains(&a["integration_specific_id"].as_str().unwrap().to_owned())),
        "no seeded user changed since {since}"
    );

    let got = call4("get_account", json!({"account_id": id}));
    let account = &got["response"];
    assert_eq!(account["integration_specific_id"], id.as_str(), "{got}");
    assert_eq!(account["given_name"], "After");
    assert_eq!(account["family_name"], "Update");
    assert_eq!(account["email"], "p4.after@example.com");
    assert_eq!(account["username"], "p4-update");
    assert_eq!(account["user_status"], "SUSPENDED");
    let stored = server.get(&format!("/Users/{id}")).unwrap();
    assert_eq!(stored.body["active"], false);

    server
        .request("DELETE", &format!("/Users/{id}"), None)
        .unwrap();
}

#[test]
fn an_accounts_groups_are_its_memberships() {
    let server = server();
    for i in [0, 99, 1234] {
        let envelope = call4(
            "get_account_entitlement_associations",
            json!({"account_id": server.user_ids[i]}),
        );
        let groups: BTreeSet<String> = envelope["response"]
            .as_array()
            .unwrap_or_else(|| panic!("{envelope}"))
            .iter()
            .map(|a| {
                assert_eq!(a["account_id"], server.user_ids[i].as_str());
                assert_eq!(a["integration_specific_entitlement_id"], "member");
                a["integration_specific_resource_id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let expected: BTreeSet<String> = scim_server::groups_of(i)
            .into_iter()
            .map(|g| server.group_ids[g].clone())
            .collect();
        assert_eq!(groups, expected, "user {i}");
    }
}

#[test]
fn ids_and_values_with_metacharacters_stay_in_their_place() {
    let server = server();
    let seeded = &server.user_ids[0];
    for id in ["x\" or userName pr or \"", "../Groups", "*", "%2e%2e"] {
        for capability in ["get_account", "get_account_entitlement_associations"] {
            let envelope = call4(capability, json!({"account_id": id}));
            assert_eq!(
                envelope["error"]["error_code"], "not_found",
                "{capability} {id}: {envelope}"
            );
        }
    }
    let dots = call4("get_account", json!({"account_id": ".."}));
    assert_eq!(dots["error"]["error_code"], "bad_request", "{dots}");
    // An unknown key is refused before the user is even looked up (the id names nobody).
    let unknown = call4(
        "update_account",
        json!({"id": "nobody", "given_name": "X", "password": "p"}),
    );
    assert_eq!(unknown["error"]["error_code"], "bad_request", "{unknown}");
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"password\""),
        "{unknown}"
    );
    let unknown_on_a_real_user = call4(
        "update_account",
        json!({"id": seeded, "userName": "hijack"}),
    );
    assert_eq!(unknown_on_a_real_user["error"]["error_code"], "bad_request");
    assert_eq!(
        server.get(&format!("/Users/{seeded}")).unwrap().body["userName"],
        scim_server::user_name(0)
    );
    let injected = call4(
        "list_updated_accounts",
        json!({"since": "2020-01-01T00:00:00Z\" or userName pr or \""}),
    );
    assert_eq!(injected["error"]["error_code"], "bad_request", "{injected}");
    let missing = call4("update_account", json!({"id": "nobody", "given_name": "X"}));
    assert_eq!(missing["error"]["error_code"], "not_found", "{missing}");
}

#[test]
fn without_patch_an_update_is_a_put_with_the_etag() {
    let server = scim_server::ScimServer::start_without_patch().expect("a second scim2-server");
    let user = json!({
        "schemas": [scim_server::USER_SCHEMA],
        "userName": "put-update",
        "name": {"givenName": "Put", "familyName": "Before"},
        "active": true,
    });
    let created = server.request("POST", "/Users", Some(&user)).unwrap();
    let id = created.body["id"].as_str().unwrap().to_owned();
    let answer = call4_on(
        &server,
        "update_account",
        json!({"id": id, "family_name": "After", "active": false}),
    );
    assert_eq!(
        answer["response"],
        json!({"id": id, "family_name": "After", "active": false}),
        "{answer}"
    );
    let after = server.get(&format!("/Users/{id}")).unwrap();
    assert_eq!(
        after.body["name"]["familyName"], "After",
        "{:?}",
        after.body
    );
    assert_eq!(after.body["active"], false);
    assert_eq!(
        after.body["name"]["givenName"], "Put",
        "the PUT kept the other attributes"
    );
    assert_eq!(after.body["userName"], "put-update");
}
