//! Every registered capability has a case table (`tests/**/<capability>_cases.rs`).

#[test]
fn every_capability_has_a_case_table() {
    let integration = mock_connector::integration();
    // 17 of its own and the OAuth module's, plus the SDK's validate_credential_config.
    assert_eq!(integration.capabilities().len(), 18);
    connector_testkit::assert_cases_cover(&integration, "tests");
}
