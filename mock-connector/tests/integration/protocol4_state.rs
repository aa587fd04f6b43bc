//! Protocol 4's capabilities against a real mock app: what a write changes, the reads see.

use connector_sdk::Protocol;
use serde_json::{Value, json};

/// Runs `capability` in protocol 4 with basic `foo`/`bar` against the app at `host`.
fn call(runtime: &tokio::runtime::Runtime, host: &str, capability: &str, payload: Value) -> Value {
    let request = json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": payload,
        "settings": {"host": host},
    });
    runtime
        .block_on(mock_connector::integration().dispatch_as(
            Protocol::V4,
            capability,
            &request.to_string(),
        ))
        .to_value()
}

/// The `response` of a successful call, and its `execution_summary`.
fn ok(
    runtime: &tokio::runtime::Runtime,
    host: &str,
    capability: &str,
    payload: Value,
) -> (Value, Value) {
    let envelope = call(runtime, host, capability, payload);
    assert_ne!(envelope["is_error"], true, "{capability}: {envelope:#}");
    (
        envelope["response"].clone(),
        envelope["execution_summary"].clone(),
    )
}

/// The ids of `list_updated_accounts` since `since`, following its own cursor `size` at a time.
fn updated_since(runtime: &tokio::runtime::Runtime, host: &str, since: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor = Value::Null;
    for _ in 0..100 {
        let request = json!({
            "auth": {"basic": {"username": "foo", "password": "bar"}},
            "request": {"since": since, "cursor": cursor},
            "settings": {"host": host},
            "page": {"size": 1},
        });
        let envelope = runtime
            .block_on(mock_connector::integration().dispatch_as(
                Protocol::V4,
                "list_updated_accounts",
                &request.to_string(),
            ))
            .to_value();
        assert_ne!(envelope["is_error"], true, "{envelope:#}");
        assert_eq!(
            envelope["page"],
            Value::Null,
            "the listing pages by its own cursor"
        );
        let answer = &envelope["response"];
        ids.extend(
            answer["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["integration_specific_id"].as_str().unwrap().to_owned()),
        );
        cursor = answer["cursor"].clone();
        if cursor.is_null() {
            return ids;
        }
    }
    panic!("list_updated_accounts did not end: {ids:?}");
}

/// After every generated user's modification time (all before 2025-01-01), before anything a
/// running app changes.
const BEFORE_THE_UPDATES: &str = "2025-01-01T00:00:00Z";

#[test]
fn an_update_is_seen_by_get_account_and_list_updated_accounts() {
    let runtime = crate::support::runtime(2);
    let app = runtime
        .block_on(mock_app::MockApp::start(
            mock_app::Config::with_users(12).groups(3),
        ))
        .unwrap();
    let host = app.url();
    let id = mock_app::user_id(4);
    assert!(updated_since(&runtime, &host, BEFORE_THE_UPDATES).is_empty());
    assert_eq!(
        updated_since(&runtime, &host, "2000-01-01T00:00:00Z").len(),
        12
    );

    let (changed, summary) = ok(
        &runtime,
        &host,
        "update_account",
        json!({"id": id, "given_name": "Zoe", "department": "Legal"}),
    );
    assert_eq!(
        changed,
        json!({"id": id, "given_name": "Zoe", "department": "Legal"})
    );
    assert_eq!(summary["effect"], json!({"kind": "updated"}));
    assert_eq!(summary["is_idempotent"], false);

    let (account, _) = ok(
        &runtime,
        &host,
        "get_account",
        json!({"account_id": id, "custom_attributes": ["department"]}),
    );
    assert_eq!(account["given_name"], "Zoe");
    assert_eq!(account["custom_attributes"], json!({"department": "Legal"}));
    assert_eq!(
        updated_since(&runtime, &host, BEFORE_THE_UPDATES),
        [id.as_str()]
    );

    // The same change again changes nothing: a no-op, and the account is listed once.
    let (unchanged, summary) = ok(
        &runtime,
        &host,
        "update_account",
        json!({"id": id, "given_name": "Zoe"}),
    );
    assert_eq!(unchanged, json!({"id": id}));
    assert_eq!(
        summary["effect"],
        json!({"kind": "noop", "reason": "state_already_matches"})
    );

    // A second account changes (here by deactivation): both are listed, one page each.
    let other = mock_app::user_id(2);
    ok(
        &runtime,
        &host,
        "deactivate_account",
        json!({"account_id": other}),
    );
    assert_eq!(
        updated_since(&runtime, &host, BEFORE_THE_UPDATES),
        [other.as_str(), id.as_str()]
    );
    assert!(updated_since(&runtime, &host, "2999-01-01T00:00:00Z").is_empty());
}

#[test]
fn assignments_and_offboarding_change_the_app() {
    let runtime = crate::support::runtime(2);
    let app = runtime
        .block_on(mock_app::MockApp::start(
            mock_app::Config::with_users(12).groups(3),
        ))
        .unwrap();
    let host = app.url();
    let user = mock_app::user_id(1);
    assert!(!mock_app::assigned_apps(1).contains(&1));
    let assignment = json!({"application_instance_id": mock_app::app_id(1), "account_id": user});
    let read = call(
        &runtime,
        &host,
        "get_application_account",
        assignment.clone(),
    );
    assert_eq!(read["error"]["error_code"], "not_found", "{read:#}");
    let (assigned, summary) = ok(&runtime, &host, "assign_application", assignment.clone());
    assert_eq!(assigned["assigned"], true);
    assert_eq!(summary["effect"]["kind"], "created");
    let (read, _) = ok(
        &runtime,
        &host,
        "get_application_account",
        assignment.clone(),
    );
    assert_eq!(read["status"], "ACTIVE");
    let grant = json!({"application_instance_id": mock_app::app_id(1),
        "account_integration_specific_id": user, "resource_integration_specific_id": "ws-01",
        "resource_type": "workspace", "entitlement_type": "workspace_admin",
        "entitlement_integration_specific_id": "admin"});
    ok(&runtime, &host, "assign_application_entitlement", grant);
    let (unassigned, _) = ok(&runtime, &host, "unassign_application", assignment.clone());
    assert_eq!(unassigned["unassigned"], true);
    let (again, summary) = ok(&runtime, &host, "unassign_application", assignment);
    assert_eq!(again["unassigned"], false);
    assert_eq!(summary["effect"]["kind"], "noop");

    // u-0000002 has `pro`: one downgrade to `free`, then nothing cheaper.
    let target = json!({"account_id": mock_app::user_id(2)});
    let (first, _) = ok(&runtime, &host, "downgrade_license", target.clone());
    assert_eq!(first["success"], true);
    let (second, summary) = ok(&runtime, &host, "downgrade_license", target.clone());
    assert_eq!(second["success"], false);
    assert_eq!(summary["effect"]["kind"], "noop");
    let (released, _) = ok(&runtime, &host, "release_resources", target);
    assert_eq!(released["success"], true);
    let (moved, _) = ok(
        &runtime,
        &host,
        "transfer_data",
        json!({"source_account_id": mock_app::user_id(2), "target_account_id": user}),
    );
    assert_eq!(moved["success"], true);
}
