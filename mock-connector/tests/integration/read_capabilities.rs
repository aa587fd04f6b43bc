//! Read capabilities: one rstest table per capability, its cases in `cases/<capability>_cases.rs`.

use connector_testkit::Case;
use rstest::rstest;

use crate::cases::{
    find_entitlement_associations_cases, get_last_activity_cases, harness, list_accounts_cases,
    list_custom_attributes_schema_cases, list_entitlements_cases, list_resources_cases,
    validate_credentials_cases,
};

#[rstest]
#[case::basic_is_checked_locally(validate_credentials_cases::basic_is_checked_locally())]
#[case::oauth_token_is_checked_against_the_app(
    validate_credentials_cases::oauth_token_is_checked_against_the_app()
)]
#[case::revoked_oauth_token_is_unauthorized(
    validate_credentials_cases::revoked_oauth_token_is_unauthorized()
)]
#[case::empty_password_is_unauthorized(validate_credentials_cases::empty_password_is_unauthorized())]
#[case::app_failure_is_an_api_error(validate_credentials_cases::app_failure_is_an_api_error())]
#[case::rate_limit_is_retried(validate_credentials_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(validate_credentials_cases::rate_limit_after_retries())]
#[case::token_auth_is_refused(validate_credentials_cases::token_auth_is_refused())]
#[case::invalid_settings_are_a_bad_request(
    validate_credentials_cases::invalid_settings_are_a_bad_request()
)]
fn validate_credentials(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::first_page(list_accounts_cases::first_page())]
#[case::middle_page(list_accounts_cases::middle_page())]
#[case::last_page(list_accounts_cases::last_page())]
#[case::default_page_size(list_accounts_cases::default_page_size())]
#[case::oversized_page_is_capped(list_accounts_cases::oversized_page_is_capped())]
#[case::custom_attributes_when_asked(list_accounts_cases::custom_attributes_when_asked())]
#[case::not_found(list_accounts_cases::not_found())]
#[case::rate_limit_is_retried(list_accounts_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(list_accounts_cases::rate_limit_after_retries())]
#[case::server_error(list_accounts_cases::server_error())]
#[case::unreadable_answer(list_accounts_cases::unreadable_answer())]
#[case::tampered_token_is_refused(list_accounts_cases::tampered_token_is_refused())]
#[case::token_of_another_listing_is_refused(
    list_accounts_cases::token_of_another_listing_is_refused()
)]
#[case::wrong_password_is_unauthorized(list_accounts_cases::wrong_password_is_unauthorized())]
#[case::token_auth_is_refused(list_accounts_cases::token_auth_is_refused())]
#[case::malformed_payload_is_a_bad_request(
    list_accounts_cases::malformed_payload_is_a_bad_request()
)]
fn list_accounts(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::first_page(list_resources_cases::first_page())]
#[case::middle_page(list_resources_cases::middle_page())]
#[case::last_page(list_resources_cases::last_page())]
#[case::group_without_description(list_resources_cases::group_without_description())]
#[case::not_found(list_resources_cases::not_found())]
#[case::rate_limit_is_retried(list_resources_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(list_resources_cases::rate_limit_after_retries())]
#[case::server_error(list_resources_cases::server_error())]
#[case::tampered_token_is_refused(list_resources_cases::tampered_token_is_refused())]
#[case::wrong_password_is_unauthorized(list_resources_cases::wrong_password_is_unauthorized())]
#[case::token_auth_is_refused(list_resources_cases::token_auth_is_refused())]
fn list_resources(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::first_page(list_entitlements_cases::first_page())]
#[case::middle_page_moves_on_to_roles(list_entitlements_cases::middle_page_moves_on_to_roles())]
#[case::last_page_of_roles(list_entitlements_cases::last_page_of_roles())]
#[case::one_page_holds_everything(list_entitlements_cases::one_page_holds_everything())]
#[case::no_groups_only_roles(list_entitlements_cases::no_groups_only_roles())]
#[case::not_found(list_entitlements_cases::not_found())]
#[case::rate_limit_is_retried(list_entitlements_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(list_entitlements_cases::rate_limit_after_retries())]
#[case::server_error(list_entitlements_cases::server_error())]
#[case::tampered_token_is_refused(list_entitlements_cases::tampered_token_is_refused())]
#[case::empty_token_is_refused(list_entitlements_cases::empty_token_is_refused())]
#[case::token_auth_is_refused(list_entitlements_cases::token_auth_is_refused())]
#[case::app_repeating_its_cursor_is_an_invalid_response(
    list_entitlements_cases::app_repeating_its_cursor_is_an_invalid_response()
)]
fn list_entitlements(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::first_page_spans_groups(find_entitlement_associations_cases::first_page_spans_groups())]
#[case::middle_page_resumes_inside_a_group(
    find_entitlement_associations_cases::middle_page_resumes_inside_a_group()
)]
#[case::last_page_reaches_the_admin_role(
    find_entitlement_associations_cases::last_page_reaches_the_admin_role()
)]
#[case::page_full_at_the_end_of_a_group(
    find_entitlement_associations_cases::page_full_at_the_end_of_a_group()
)]
#[case::empty_app(find_entitlement_associations_cases::empty_app())]
#[case::vanished_group_is_not_found(
    find_entitlement_associations_cases::vanished_group_is_not_found()
)]
#[case::rate_limit_is_retried(find_entitlement_associations_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(find_entitlement_associations_cases::rate_limit_after_retries())]
#[case::server_error(find_entitlement_associations_cases::server_error())]
#[case::tampered_token_is_refused(find_entitlement_associations_cases::tampered_token_is_refused())]
#[case::token_without_the_outer_cursor_is_refused(
    find_entitlement_associations_cases::token_without_the_outer_cursor_is_refused()
)]
#[case::token_of_another_listing_is_refused(
    find_entitlement_associations_cases::token_of_another_listing_is_refused()
)]
#[case::token_auth_is_refused(find_entitlement_associations_cases::token_auth_is_refused())]
#[case::app_repeating_its_cursor_is_an_invalid_response(
    find_entitlement_associations_cases::app_repeating_its_cursor_is_an_invalid_response()
)]
fn find_entitlement_associations(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::one_batch(get_last_activity_cases::one_batch())]
#[case::first_page(get_last_activity_cases::first_page())]
#[case::middle_page(get_last_activity_cases::middle_page())]
#[case::last_page(get_last_activity_cases::last_page())]
#[case::batches_are_capped_at_the_apps_limit(
    get_last_activity_cases::batches_are_capped_at_the_apps_limit()
)]
#[case::no_ids_no_call(get_last_activity_cases::no_ids_no_call())]
#[case::unknown_account_is_not_found(get_last_activity_cases::unknown_account_is_not_found())]
#[case::rate_limit_is_retried(get_last_activity_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(get_last_activity_cases::rate_limit_after_retries())]
#[case::server_error(get_last_activity_cases::server_error())]
#[case::blank_id_is_a_bad_request(get_last_activity_cases::blank_id_is_a_bad_request())]
#[case::missing_ids_are_a_bad_request(get_last_activity_cases::missing_ids_are_a_bad_request())]
#[case::token_past_the_end_is_refused(get_last_activity_cases::token_past_the_end_is_refused())]
#[case::token_auth_is_refused(get_last_activity_cases::token_auth_is_refused())]
fn get_last_activity(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::declared_attributes(list_custom_attributes_schema_cases::declared_attributes())]
#[case::unknown_types_read_as_text(
    list_custom_attributes_schema_cases::unknown_types_read_as_text()
)]
#[case::none_declared(list_custom_attributes_schema_cases::none_declared())]
#[case::not_found(list_custom_attributes_schema_cases::not_found())]
#[case::rate_limit_is_retried(list_custom_attributes_schema_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(list_custom_attributes_schema_cases::rate_limit_after_retries())]
#[case::server_error(list_custom_attributes_schema_cases::server_error())]
#[case::unreadable_answer(list_custom_attributes_schema_cases::unreadable_answer())]
#[case::wrong_password_is_unauthorized(
    list_custom_attributes_schema_cases::wrong_password_is_unauthorized()
)]
#[case::token_auth_is_refused(list_custom_attributes_schema_cases::token_auth_is_refused())]
fn list_custom_attributes_schema(#[case] case: Case) {
    harness().check_blocking(case);
}
