//! The connector against a real mock app: what one capability changes, the others see.

use std::collections::BTreeSet;

use connector_sdk::wire::CapabilityName;
use futures::StreamExt;
use serde_json::{Value, json};

use crate::support::run;

fn request(host: &str, payload: Value) -> Value {
    json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": payload,
        "settings": {"host": host},
    })
}

/// Runs a capability in process; returns the envelope.
fn call(runtime: &tokio::runtime::Runtime, capability: &str, request: &Value) -> Value {
    let integration = mock_connector::integration();
    runtime
        .block_on(integration.dispatch(capability, &request.to_string()))
        .to_value()
}

/// Runs a capability and returns its `response`, failing on an error envelope.
fn ok(runtime: &tokio::runtime::Runtime, capability: &str, request: &Value) -> Value {
    let envelope = call(runtime, capability, request);
    assert_eq!(envelope.get("is_error"), None, "{capability}: {envelope}");
    envelope["response"].clone()
}

/// Every item of a listing, page after page of `size`.
fn drain(
    runtime: &tokio::runtime::Runtime,
    capability: CapabilityName,
    mut request: Value,
    size: u32,
) -> (Vec<Value>, usize) {
    request["page"] = json!({"size": size});
    let integration = mock_connector::integration();
    let pages: Vec<_> = runtime.block_on(integration.pages(capability, request).collect());
    let count = pages.len();
    let items = pages
        .into_iter()
        .flat_map(|page| page.unwrap_or_else(|e| panic!("{capability}: {e:?}")))
        .collect();
    (items, count)
}

fn error_code(envelope: &Value) -> &str {
    envelope["error"]["error_code"].as_str().unwrap_or("")
}

#[test]
fn an_account_through_its_whole_life() {
    let runtime = crate::support::runtime(2);
    let app = runtime
        .block_on(mock_app::MockApp::start(
            mock_app::Config::with_users(12).groups(3),
        ))
        .unwrap();
    let host = app.url();
    let new_id = mock_app::user_id(13);

    let created = ok(
        &runtime,
        "create_account",
        &request(
            &host,
            json!({"email": "zed@example.com", "given_name": "Zed", "family_name": "Ng",
            "extra_data": {"department": "Legal", "manager": mock_app::user_id(1)},
            "entitlements": [
                {"integration_specific_resource_id": "g-002", "entitlement_type": "member", "integration_specific_id": "member"},
                {"entitlement_type": "role", "integration_specific_id": "admin"},
            ]}),
        ),
    );
    assert_eq!(created, json!({"status": "ACTIVE", "created": true}));
    let again = call(
        &runtime,
        "create_account",
        &request(
            &host,
            json!({"email": "ZED@example.com", "entitlements": []}),
        ),
    );
    assert_eq!(error_code(&again), "api_error", "{again}");
    assert_eq!(again["error"]["status_code"], 409);

    let accounts = |runtime: &tokio::runtime::Runtime| {
        drain(
            runtime,
            CapabilityName::ListAccounts,
            request(
                &host,
                json!({"custom_attributes": ["department", "manager"]}),
            ),
            5,
        )
        .0
    };
    let listed = accounts(&runtime);
    assert_eq!(listed.len(), 13);
    let zed = listed.last().unwrap();
    assert_eq!(zed["integration_specific_id"], new_id);
    assert_eq!(
        zed["custom_attributes"],
        json!({"department": "Legal", "manager": mock_app::user_id(1)})
    );

    let associations = |runtime: &tokio::runtime::Runtime| -> BTreeSet<(String, String, String)> {
        drain(
            runtime,
            CapabilityName::FindEntitlementAssociations,
            request(&host, json!({})),
            4,
        )
        .0
        .into_iter()
        .filter(|a| a["account_id"] == new_id)
        .map(|a| {
            (
                a["integration_specific_resource_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                a["integration_specific_entitlement_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                a["account_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
    };
    assert_eq!(
        associations(&runtime),
        BTreeSet::from([
            (String::new(), "admin".to_owned(), new_id.clone()),
            ("g-002".to_owned(), "member".to_owned(), new_id.clone()),
        ])
    );

    let group = |account: &str| {
        json!({"account_integration_specific_id": account, "resource_integration_specific_id": "g-002",
               "resource_type": "group", "entitlement_type": "member",
               "entitlement_integration_specific_id": "member"})
    };
    // Granting twice and revoking twice are both fine.
    for _ in 0..2 {
        let assigned = ok(
            &runtime,
            "assign_entitlement",
            &request(&host, group(&new_id)),
        );
        assert_eq!(assigned, json!({"assigned": true}));
    }
    for _ in 0..2 {
        let unassigned = ok(
            &runtime,
            "unassign_entitlement",
            &request(&host, group(&new_id)),
        );
        assert_eq!(unassigned, json!({"unassigned": true}));
    }
    assert_eq!(
        associations(&runtime).len(),
        1,
        "only the admin role is left"
    );
    let nobody = call(
        &runtime,
        "assign_entitlement",
        &request(&host, group("u-9999999")),
    );
    assert_eq!(error_code(&nobody), "not_found", "{nobody}");

    let deactivated = ok(
        &runtime,
        "deactivate_account",
        &request(&host, json!({"account_id": new_id})),
    );
    assert_eq!(
        deactivated,
        json!({"status": "SUSPENDED", "deactivated": true})
    );
    assert_eq!(accounts(&runtime)[12]["user_status"], "SUSPENDED");
    let activated = ok(
        &runtime,
        "activate_account",
        &request(&host, json!({"account_id": new_id})),
    );
    assert_eq!(activated, json!({"status": "ACTIVE", "activated": true}));

    let ids = json!({"account_ids": [mock_app::user_id(1), mock_app::user_id(7), new_id]});
    let activity = ok(&runtime, "get_last_activity", &request(&host, ids));
    assert_eq!(
        activity,
        json!([{"account_id": mock_app::user_id(1), "event_type": "last_activity",
                "happened_at": mock_app::last_activity(1).unwrap()}]),
        "user 7 and the new user were never active"
    );

    let deleted = ok(
        &runtime,
        "delete_account",
        &request(&host, json!({"account_id": new_id})),
    );
    assert_eq!(deleted, json!({"status": "DELETED", "deleted": true}));
    let gone = call(
        &runtime,
        "delete_account",
        &request(&host, json!({"account_id": new_id})),
    );
    assert_eq!(error_code(&gone), "not_found", "{gone}");
    assert_eq!(accounts(&runtime).len(), 12);
    assert!(associations(&runtime).is_empty());
}

#[test]
fn listings_match_the_generated_data_set() {
    let (users, groups) = (50, 4);
    let runtime = crate::support::runtime(2);
    let app = runtime
        .block_on(mock_app::MockApp::start(
            mock_app::Config::with_users(users).groups(groups),
        ))
        .unwrap();
    let host = app.url();

    let (resources, pages) = drain(
        &runtime,
        CapabilityName::ListResources,
        request(&host, json!({})),
        3,
    );
    assert_eq!(pages, 2);
    let resource_ids: Vec<&str> = resources
        .iter()
        .map(|r| r["integration_specific_id"].as_str().unwrap())
        .collect();
    assert_eq!(resource_ids, ["g-001", "g-002", "g-003", "g-004"]);

    let (entitlements, _) = drain(
        &runtime,
        CapabilityName::ListEntitlements,
        request(&host, json!({})),
        3,
    );
    let labels: Vec<&str> = entitlements
        .iter()
        .map(|e| e["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "Member of Admins",
            "Member of Engineering",
            "Member of Sales",
            "Member of Support",
            "Administrator"
        ]
    );

    // Every membership, group by group, then every admin: exactly the generated data set.
    let (associations, pages) = drain(
        &runtime,
        CapabilityName::FindEntitlementAssociations,
        request(&host, json!({})),
        7,
    );
    let mut expected = Vec::new();
    for g in 1..=groups {
        for n in (1..=users).filter(|&n| mock_app::groups_of(n, groups).contains(&g)) {
            expected.push(json!({"account_id": mock_app::user_id(n), "integration_specific_entitlement_id": "member",
                                 "integration_specific_resource_id": mock_app::group_id(g)}));
        }
    }
    for n in (1..=users).filter(|&n| mock_app::is_admin(n)) {
        expected.push(json!({"account_id": mock_app::user_id(n), "integration_specific_entitlement_id": "admin",
                             "integration_specific_resource_id": ""}));
    }
    assert_eq!(associations, expected);
    assert_eq!(
        pages,
        expected.len().div_ceil(7),
        "pages are filled across groups"
    );

    let ids: Vec<String> = (1..=users).map(mock_app::user_id).collect();
    let (activity, pages) = drain(
        &runtime,
        CapabilityName::GetLastActivity,
        request(&host, json!({"account_ids": ids})),
        20,
    );
    assert_eq!(pages, 3);
    let expected: Vec<Value> = (1..=users)
        .filter_map(|n| {
            mock_app::last_activity(n).map(|at| {
                json!({"account_id": mock_app::user_id(n), "event_type": "last_activity", "happened_at": at})
            })
        })
        .collect();
    assert_eq!(activity, expected);

    let schema = ok(
        &runtime,
        "list_custom_attributes_schema",
        &request(&host, json!({})),
    );
    assert_eq!(
        schema,
        json!([
            {"customized_type": "account", "name": "department", "attribute_type": "string"},
            {"customized_type": "account", "name": "manager", "attribute_type": "user"},
        ])
    );
}

/// 100,000 users through `Integration::pages`: about 15 s unoptimized, so it runs in release
/// builds (`cargo test -p mock-connector --release`) or with `--ignored`; `cargo bench -p
/// mock-connector` drains the same through the CLI too.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "slow unoptimized: run with --release or --ignored"
)]
fn drains_100_000_users() {
    const USERS: usize = 100_000;
    let runtime = crate::support::runtime(2);
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(
            USERS,
        )))
        .unwrap();
    let (accounts, pages) = drain(
        &runtime,
        CapabilityName::ListAccounts,
        request(&app.url(), json!({})),
        1_000,
    );
    assert_eq!(pages, 100);
    assert_eq!(accounts.len(), USERS);
    for (n, account) in (1..=USERS).zip(&accounts) {
        assert_eq!(account["integration_specific_id"], mock_app::user_id(n));
    }
}

#[test]
fn the_compiled_connector_changes_the_real_app() {
    let runtime = crate::support::runtime(2);
    let app = runtime
        .block_on(mock_app::MockApp::start(
            mock_app::Config::with_users(3).groups(1),
        ))
        .unwrap();
    let host = app.url();
    let cli = |capability: &str, payload: Value| {
        run(&[capability, "--json", &request(&host, payload).to_string()]).document()
    };
    let doc = cli(
        "deactivate_account",
        json!({"account_id": mock_app::user_id(2)}),
    );
    assert_eq!(
        doc,
        json!({"response": {"status": "SUSPENDED", "deactivated": true}, "raw_data": null, "page": null})
    );
    let accounts = cli("list_accounts", json!({}));
    let statuses: Vec<&str> = accounts["response"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["user_status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ACTIVE", "SUSPENDED", "ACTIVE"]);
    let doc = cli(
        "delete_account",
        json!({"account_id": mock_app::user_id(2)}),
    );
    assert_eq!(doc["response"]["deleted"], true);
    let doc = cli(
        "delete_account",
        json!({"account_id": mock_app::user_id(2)}),
    );
    assert_eq!(doc["error"]["error_code"], "not_found");
    assert_eq!(
        doc["error"]["raised_in"],
        "mock_connector.connector:delete_account"
    );
}
