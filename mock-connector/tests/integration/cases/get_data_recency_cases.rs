//! `get_data_recency` (protocol 4): `GET /api/data-recency`, when each kind of data last changed.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, check4, of4};

type Read = marker::GetDataRecency;

#[rstest]
#[case::each_kind_with_its_time(
    of4::<Read>(wire::GetDataRecency {})
        .mock(HttpMock::get("/api/data-recency").respond_json(
            200,
            json!({"users": "2025-03-01T10:00:00Z", "groups": "2024-12-31T00:00:00Z",
                   "applications": "2024-12-31T00:00:00Z", "activity": null}),
        ))
        .expect_response(wire::DataRecency {
            data: [
                ("users", Some("2025-03-01T10:00:00Z")),
                ("groups", Some("2024-12-31T00:00:00Z")),
                ("applications", Some("2024-12-31T00:00:00Z")),
                ("activity", None),
            ]
            .map(|(kind, at)| (kind.to_owned(), at.map(str::to_owned)))
            .into(),
        })
)]
#[case::wrong_password_is_unauthorized(
    of4::<Read>(wire::GetDataRecency {})
        .mock(HttpMock::get("/api/data-recency").respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::unreadable_answer(
    of4::<Read>(wire::GetDataRecency {})
        .mock(HttpMock::get("/api/data-recency").respond_json(200, json!({"users": 5})))
        .expect_error(ErrorCode::InvalidResponse)
)]
#[case::server_error(
    of4::<Read>(wire::GetDataRecency {})
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
