//! Every registered capability has a case table (`tests/**/<capability>_cases.rs`).

#[test]
fn every_capability_has_a_case_table() {
    let integration = mock_connector::integration();
    // 3.7.8's 17 and protocol 4's 30 further ones (all but the three the SDK provides).
    assert_eq!(integration.capabilities().len(), 47);
    connector_testkit::assert_cases_cover(&integration, "tests");
}
