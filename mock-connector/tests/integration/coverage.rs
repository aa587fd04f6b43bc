//! Every registered capability has a case table (`tests/**/<capability>_cases.rs`).

#[test]
fn every_capability_has_a_case_table() {
    let integration = mock_connector::integration();
    assert_eq!(
        integration
            .capabilities_in(connector_sdk::Protocol::V3_7_8)
            .len(),
        17
    );
    connector_testkit::assert_cases_cover(&integration, "tests");
}
