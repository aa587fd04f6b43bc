//! Write capabilities: one rstest table per capability, its cases in `cases/<capability>_cases.rs`.

use connector_testkit::Case;
use rstest::rstest;

use crate::cases::{
    activate_account_cases, assign_entitlement_cases, create_account_cases,
    deactivate_account_cases, delete_account_cases, harness, unassign_entitlement_cases,
};

#[rstest]
#[case::minimal(create_account_cases::minimal())]
#[case::with_profile_and_custom_attributes(
    create_account_cases::with_profile_and_custom_attributes()
)]
#[case::inactive_from_the_start(create_account_cases::inactive_from_the_start())]
#[case::with_a_group_and_the_admin_role(create_account_cases::with_a_group_and_the_admin_role())]
#[case::duplicate_is_a_conflict(create_account_cases::duplicate_is_a_conflict())]
#[case::app_refuses_the_input(create_account_cases::app_refuses_the_input())]
#[case::group_that_does_not_exist(create_account_cases::group_that_does_not_exist())]
#[case::rate_limit_is_not_retried(create_account_cases::rate_limit_is_not_retried())]
#[case::server_error(create_account_cases::server_error())]
#[case::missing_email(create_account_cases::missing_email())]
#[case::unknown_status(create_account_cases::unknown_status())]
#[case::unknown_entitlement_type(create_account_cases::unknown_entitlement_type())]
#[case::unknown_custom_attribute(create_account_cases::unknown_custom_attribute())]
#[case::missing_entitlements_field(create_account_cases::missing_entitlements_field())]
#[case::token_auth_is_refused(create_account_cases::token_auth_is_refused())]
fn create_account(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::deletes(delete_account_cases::deletes())]
#[case::unknown_account_is_not_found(delete_account_cases::unknown_account_is_not_found())]
#[case::id_is_one_path_segment(delete_account_cases::id_is_one_path_segment())]
#[case::rate_limit_is_retried(delete_account_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(delete_account_cases::rate_limit_after_retries())]
#[case::server_error(delete_account_cases::server_error())]
#[case::blank_id_is_a_bad_request(delete_account_cases::blank_id_is_a_bad_request())]
#[case::missing_id_is_a_bad_request(delete_account_cases::missing_id_is_a_bad_request())]
#[case::token_auth_is_refused(delete_account_cases::token_auth_is_refused())]
fn delete_account(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::switches(activate_account_cases::switches())]
#[case::unknown_account_is_not_found(activate_account_cases::unknown_account_is_not_found())]
#[case::rate_limit_is_retried(activate_account_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(activate_account_cases::rate_limit_after_retries())]
#[case::server_error(activate_account_cases::server_error())]
#[case::blank_id_is_a_bad_request(activate_account_cases::blank_id_is_a_bad_request())]
#[case::wrong_password_is_unauthorized(activate_account_cases::wrong_password_is_unauthorized())]
#[case::token_auth_is_refused(activate_account_cases::token_auth_is_refused())]
fn activate_account(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::switches(deactivate_account_cases::switches())]
#[case::unknown_account_is_not_found(deactivate_account_cases::unknown_account_is_not_found())]
#[case::rate_limit_is_retried(deactivate_account_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(deactivate_account_cases::rate_limit_after_retries())]
#[case::server_error(deactivate_account_cases::server_error())]
#[case::blank_id_is_a_bad_request(deactivate_account_cases::blank_id_is_a_bad_request())]
#[case::wrong_password_is_unauthorized(deactivate_account_cases::wrong_password_is_unauthorized())]
#[case::token_auth_is_refused(deactivate_account_cases::token_auth_is_refused())]
fn deactivate_account(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::group_membership(assign_entitlement_cases::group_membership())]
#[case::twice_is_fine(assign_entitlement_cases::twice_is_fine())]
#[case::admin_role(assign_entitlement_cases::admin_role())]
#[case::unknown_group_is_not_found(assign_entitlement_cases::unknown_group_is_not_found())]
#[case::unknown_account_is_not_found(assign_entitlement_cases::unknown_account_is_not_found())]
#[case::rate_limit_is_retried(assign_entitlement_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(assign_entitlement_cases::rate_limit_after_retries())]
#[case::server_error(assign_entitlement_cases::server_error())]
#[case::unknown_entitlement_type(assign_entitlement_cases::unknown_entitlement_type())]
#[case::group_has_only_the_member_entitlement(
    assign_entitlement_cases::group_has_only_the_member_entitlement()
)]
#[case::role_is_on_the_app_not_a_group(assign_entitlement_cases::role_is_on_the_app_not_a_group())]
#[case::blank_account_is_a_bad_request(assign_entitlement_cases::blank_account_is_a_bad_request())]
#[case::missing_field_is_a_bad_request(assign_entitlement_cases::missing_field_is_a_bad_request())]
#[case::token_auth_is_refused(assign_entitlement_cases::token_auth_is_refused())]
fn assign_entitlement(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::group_membership(unassign_entitlement_cases::group_membership())]
#[case::twice_is_fine(unassign_entitlement_cases::twice_is_fine())]
#[case::admin_role(unassign_entitlement_cases::admin_role())]
#[case::unknown_group_is_not_found(unassign_entitlement_cases::unknown_group_is_not_found())]
#[case::unknown_account_is_not_found(unassign_entitlement_cases::unknown_account_is_not_found())]
#[case::rate_limit_is_retried(unassign_entitlement_cases::rate_limit_is_retried())]
#[case::rate_limit_after_retries(unassign_entitlement_cases::rate_limit_after_retries())]
#[case::server_error(unassign_entitlement_cases::server_error())]
#[case::unknown_entitlement_type(unassign_entitlement_cases::unknown_entitlement_type())]
#[case::group_has_only_the_member_entitlement(
    unassign_entitlement_cases::group_has_only_the_member_entitlement()
)]
#[case::role_is_on_the_app_not_a_group(unassign_entitlement_cases::role_is_on_the_app_not_a_group())]
#[case::blank_account_is_a_bad_request(unassign_entitlement_cases::blank_account_is_a_bad_request())]
#[case::missing_field_is_a_bad_request(unassign_entitlement_cases::missing_field_is_a_bad_request())]
#[case::token_auth_is_refused(unassign_entitlement_cases::token_auth_is_refused())]
fn unassign_entitlement(#[case] case: Case) {
    harness().check_blocking(case);
}
