//! `get_data_recency` (protocol 4): `GET /api/data-recency`, when each kind of data last changed.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, case4, check4};

const SCOPE: CapabilityName = CapabilityName::GetDataRecency;

#[rstest]
#[case::each_kind_with_its_time(
    case4(SCOPE)
        .mock(HttpMock::get("/api/data-recency").respond_json(
            200,
            json!({"users": "2025-03-01T10:00:00Z", "groups": "2024-12-31T00:00:00Z",
                   "applications": "2024-12-31T00:00:00Z", "activity": null}),
        ))
        .expect_response(json!({"data": {"users": "2025-03-01T10:00:00Z",
            "groups": "2024-12-31T00:00:00Z", "applications": "2024-12-31T00:00:00Z",
            "activity": null}}))
)]
#[case::wrong_password_is_unauthorized(
    case4(SCOPE)
        .mock(HttpMock::get("/api/data-recency").respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::unreadable_answer(
    case4(SCOPE)
        .mock(HttpMock::get("/api/data-recency").respond_json(200, json!({"users": 5})))
        .expect_error(ErrorCode::InvalidResponse)
)]
#[case::server_error(
    case4(SCOPE)
        .mock(HttpMock::get("/api/data-recency").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
)]
fn get_data_recency(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
