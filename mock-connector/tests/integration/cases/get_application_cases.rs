//! `get_application` (protocol 4): `GET /api/apps/{app}`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, case4, check4};

const SCOPE: CapabilityName = CapabilityName::GetApplication;

#[rstest]
#[case::reads_the_application(
    case4(SCOPE)
        .payload(json!({"application_instance_id": "app-06"}))
        .mock(HttpMock::get("/api/apps/app-06").respond_json(
            200,
            json!({"id": "app-06", "name": "Legacy CRM", "description": null, "status": "inactive",
                   "sign_on": "bookmark", "login_url": null}),
        ))
        .expect_response(json!({"id": "app-06", "name": "Legacy CRM", "display_name": "Legacy CRM",
                                "description": null, "status": "INACTIVE", "logo": null,
                                "sign_on_mode": "BOOKMARK", "sso_login_url": null,
                                "assignment_modes": ["ACCOUNT", "ENTITLEMENT"]}))
)]
#[case::unknown_application_is_not_found(
    case4(SCOPE)
        .payload(json!({"application_instance_id": "app-99"}))
        .mock(HttpMock::get("/api/apps/app-99").respond_json(404, app_error("no application app-99")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no application app-99")
)]
#[case::blank_id_is_a_bad_request(
    case4(SCOPE)
        .payload(json!({"application_instance_id": ""}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.application_instance_id must not be empty")
)]
fn get_application(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
