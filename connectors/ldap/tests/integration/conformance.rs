//! Every envelope the connector prints validates against the protocol's JSON schema
//! (`framework/tests/data/wire-format-3.7.8.schema.json`): one case per capability, plus an
//! error and `info`.

use rstest::rstest;
use serde_json::{Value, json};

use crate::slapd::{BASE_DN, GROUPS, STAFF, scratch, team};
use crate::support::{Call, connector};

fn validator(definition: &str) -> jsonschema::Validator {
    let text = include_str!("../../../../framework/tests/data/wire-format-3.7.8.schema.json");
    let mut schema: Value = serde_json::from_str(text).unwrap();
    schema["$ref"] = Value::String(format!("#/$defs/{definition}"));
    jsonschema::validator_for(&schema).expect("the protocol schema compiles")
}

fn assert_valid(definition: &str, document: &Value) {
    let errors: Vec<String> = validator(definition)
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{definition}: {errors:#?}\n{document}");
}

fn membership(account: &str, group: &str) -> Value {
    json!({
        "account_integration_specific_id": account,
        "resource_integration_specific_id": BASE_DN,
        "resource_type": "directory",
        "entitlement_type": "member",
        "entitlement_integration_specific_id": group,
    })
}

#[rstest]
#[case::validate_credentials("validate_credentials", "ValidateCredentialsResponse", json!({}), json!({}))]
#[case::list_accounts("list_accounts", "ListAccountsResponse", json!({"user_search_base": STAFF}), json!({"custom_attributes": ["title"]}))]
#[case::list_resources("list_resources", "ListResourcesResponse", json!({}), json!({}))]
#[case::list_entitlements("list_entitlements", "ListEntitlementsResponse", json!({"group_search_base": GROUPS}), json!({}))]
#[case::find_entitlement_associations("find_entitlement_associations", "FindEntitlementAssociationsResponse", json!({"group_search_base": GROUPS}), json!({}))]
#[case::get_last_activity("get_last_activity", "GetLastActivityResponse", json!({}), json!({"account_ids": [scratch("uid=activity-1")]}))]
#[case::list_custom_attributes_schema("list_custom_attributes_schema", "ListCustomAttributesSchemaResponse", json!({}), json!({}))]
#[case::create_account("create_account", "CreateAccountResponse", json!({"user_search_base": "ou=scratch,dc=example,dc=com"}), json!({"username": "conform-new", "entitlements": []}))]
#[case::delete_account("delete_account", "DeleteAccountResponse", json!({}), json!({"account_id": scratch("uid=conform-delete")}))]
#[case::deactivate_account("deactivate_account", "DeactivateAccountResponse", json!({}), json!({"account_id": scratch("uid=conform-lock")}))]
#[case::activate_account("activate_account", "ActivateAccountResponse", json!({}), json!({"account_id": scratch("uid=spare-1")}))]
#[case::assign_entitlement("assign_entitlement", "AssignEntitlementResponse", json!({}), membership(&scratch("uid=member-of-all"), &team("team-b")))]
#[case::unassign_entitlement("unassign_entitlement", "UnassignEntitlementResponse", json!({}), membership(&scratch("uid=assign-2"), &team("team-d")))]
fn success_envelopes_follow_the_protocol(
    #[case] capability: &'static str,
    #[case] definition: &str,
    #[case] settings: Value,
    #[case] request: Value,
) {
    let document = Call::new(capability)
        .settings(settings)
        .request(request)
        .page(json!({"size": 3}))
        .run();
    assert_eq!(document.get("is_error"), None, "{document}");
    assert_valid(definition, &document);
}

#[test]
fn error_envelopes_follow_the_protocol() {
    let document = Call::new("list_accounts")
        .settings(json!({"user_search_base": "ou=nowhere,dc=example,dc=com"}))
        .run();
    assert_eq!(document["error"]["error_code"], "not_found");
    assert_valid("ErrorResponse", &document);
}

#[test]
fn info_follows_the_protocol() {
    let output = connector().arg("info").output().unwrap();
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid("InfoResponse", &document);
}
