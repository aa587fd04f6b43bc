//! The connector's one integration-test binary: a case table per capability, run in process
//! against a wiremock app per case by `connector-testkit`, and the compiled binary's `info`.
//!
//! A case says: this request, when the app answers these HTTP calls like so, gives this
//! envelope. A call the case did not declare fails it, and so does a declared call that was not
//! made. When you change `src/client.rs` for the real app, change the routes here to match.

mod cli;
mod support;

mod activate_account_cases;
mod assign_entitlement_cases;
mod create_account_cases;
mod deactivate_account_cases;
mod delete_account_cases;
mod find_entitlement_associations_cases;
mod get_last_activity_cases;
mod list_accounts_cases;
mod list_entitlements_cases;
mod list_resources_cases;
mod probe_integration_cases;
mod unassign_entitlement_cases;
mod validate_credentials_cases;

/// Every registered capability has a case table (`<capability>_cases.rs`).
#[test]
fn every_capability_has_a_case_table() {
    connector_testkit::assert_cases_cover(
        &demo_connector::integration(),
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests"),
    );
}
