//! `get_application` (protocol 4): `GET /api/apps/{app}`.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, check4, of4};

type Read = marker::GetApplication;

fn request(id: &str) -> wire::GetApplication {
    wire::GetApplication {
        application_instance_id: id.to_owned(),
    }
}

#[rstest]
#[case::reads_the_application(
    of4::<Read>(request("app-06"))
        .mock(HttpMock::get("/api/apps/app-06").respond_json(
            200,
            json!({"id": "app-06", "name": "Legacy CRM", "description": null, "status": "inactive",
                   "sign_on": "bookmark", "login_url": null}),
        ))
        .expect_response(wire::Application {
            id: "app-06".to_owned(),
            name: "Legacy CRM".to_owned(),
            display_name: Some("Legacy CRM".to_owned()),
            description: None,
            status: wire::ApplicationStatus::Inactive,
            logo: None,
            sign_on_mode: wire::SignOnMode::Bookmark,
            sso_login_url: None,
            assignment_modes: vec![wire::AssignmentMode::Account, wire::AssignmentMode::Entitlement],
        })
)]
#[case::unknown_application_is_not_found(
    of4::<Read>(request("app-99"))
        .mock(HttpMock::get("/api/apps/app-99").respond_json(404, app_error("no application app-99")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no application app-99")
)]
#[case::blank_id_is_a_bad_request(
    of4::<Read>(request(""))
        .expect_error(ErrorCode::BadRequest)
        .message("request.application_instance_id must not be empty")
)]
fn get_application(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
