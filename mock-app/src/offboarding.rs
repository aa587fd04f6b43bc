//! Offboarding: moving a user's data to another user, releasing their license, moving them to
//! a cheaper one. Each answers `{"user": …, "changed": bool}`; a change updates the user's
//! modification time.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::api::{Reply, body};
use crate::data::{ApiError, Data, LICENSES};

/// The body of `POST /api/users/{id}/transfer`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Transfer {
    to: String,
}

/// The license one step cheaper than `license`, if there is one.
fn cheaper(license: &str) -> Option<&'static str> {
    let at = LICENSES.iter().position(|l| *l == license)?;
    LICENSES.get(at + 1).copied()
}

/// Applies `change` to user `id` (returning whether it changed anything) and answers.
fn change(
    state: &AppState,
    id: &str,
    change: impl FnOnce(&mut Data) -> Result<bool, ApiError>,
) -> Reply {
    let mut data = state.data();
    let changed = change(&mut data)?;
    if changed {
        data.touch(id);
    }
    let user = data.user(id)?.clone();
    Ok(Json(json!({"user": user, "changed": changed})).into_response())
}

/// `POST /api/users/{id}/transfer` (`{"to": user id}`): the other user becomes the owner of
/// this user's data. A 400 for the user itself, a 404 for an unknown user.
pub(crate) async fn transfer(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    transfer: Result<Json<Transfer>, JsonRejection>,
) -> Reply {
    let to = body(transfer)?.to;
    change(&state, &id, |data| {
        data.user(&id)?;
        if to == id {
            return Err(ApiError::bad_request(
                "a user's data cannot be transferred to the same user",
            ));
        }
        data.user(&to)?;
        let user = data.user_mut(&id)?;
        let changed = user.data_owner.as_deref() != Some(to.as_str());
        user.data_owner = Some(to);
        Ok(changed)
    })
}

/// `POST /api/users/{id}/release`: the user's license is given back (`none`).
pub(crate) async fn release(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Reply {
    change(&state, &id, |data| {
        let user = data.user_mut(&id)?;
        let changed = user.license != "none";
        "none".clone_into(&mut user.license);
        Ok(changed)
    })
}

/// `POST /api/users/{id}/downgrade`: the user moves one license tier down (nothing changes on
/// the cheapest tier, or without a license).
pub(crate) async fn downgrade(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Reply {
    change(&state, &id, |data| {
        let user = data.user_mut(&id)?;
        Ok(match cheaper(&user.license) {
            Some(license) => {
                license.clone_into(&mut user.license);
                true
            }
            None => false,
        })
    })
}
