//! The REST API: users, groups, the admin role, memberships, activity, custom attributes.
//! Every route passes [`gate`] first (credential, then injected faults).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::data::{ApiError, Change, NewUser, Page, UserPatch, keyed_page};
use crate::{AppState, Fault, PHANTOM_MEMBER, error};

/// The most ids `GET /api/last-activity` takes at once.
pub const MAX_ACTIVITY_BATCH: usize = 100;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error(self.status, &self.message)
    }
}

/// Checks the credential and applies the configured faults, before any route.
pub(crate) async fn gate(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    match check(&state, request.headers()).await {
        Ok(()) => next.run(request).await,
        Err(response) => response,
    }
}

async fn check(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    let n = state.next_request();
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let authorized = if let Some(basic) = auth.strip_prefix("Basic ") {
        let expected = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            state.config.username, state.config.password
        ));
        basic == expected
    } else if let Some(token) = auth.strip_prefix("Bearer ") {
        state.config.tokens.iter().any(|t| t == token)
            || state.oauth().access_tokens.contains(token)
    } else {
        false
    };
    if !authorized {
        return Err(error(StatusCode::UNAUTHORIZED, "invalid credentials"));
    }
    if state.config.rate_limit_every > 0 && n.is_multiple_of(state.config.rate_limit_every) {
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, "slow down");
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        return Err(response);
    }
    if state.config.error_every > 0 && n.is_multiple_of(state.config.error_every) {
        return Err(error(StatusCode::SERVICE_UNAVAILABLE, "try again later"));
    }
    Ok(())
}

/// `?limit=N&after=CURSOR` of every listing.
#[derive(Debug, Deserialize)]
pub(crate) struct Paging {
    limit: Option<usize>,
    after: Option<String>,
}

pub(crate) fn paging(
    state: &AppState,
    query: Result<Query<Paging>, QueryRejection>,
) -> Result<(usize, Option<String>), ApiError> {
    let Query(paging) =
        query.map_err(|e| ApiError::bad_request(format!("invalid query: {}", e.body_text())))?;
    let limit = paging
        .limit
        .unwrap_or(100)
        .clamp(1, state.config.max_page_size);
    Ok((limit, paging.after.filter(|a| !a.is_empty())))
}

/// `{"<key>": [...], "next": cursor|null}`.
pub(crate) fn page_json<T: Serialize>(key: &str, page: Page<T>) -> Response {
    let mut body = serde_json::Map::new();
    body.insert(key.to_owned(), json!(page.items));
    body.insert("next".to_owned(), json!(page.next));
    Json(Value::Object(body)).into_response()
}

pub(crate) fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(value)| value)
        .map_err(|e| ApiError::bad_request(format!("invalid body: {}", e.body_text())))
}

pub(crate) type Reply = Result<Response, ApiError>;

pub(crate) async fn me() -> Response {
    Json(json!({"tenant_id": "mock-app-tenant"})).into_response()
}

/// `?updated_since=RFC 3339` of `GET /api/users`.
#[derive(Debug, Deserialize)]
pub(crate) struct UpdatedSince {
    updated_since: Option<String>,
}

pub(crate) async fn list_users(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
    since: Query<UpdatedSince>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    if let Some(since) = since.0.updated_since.as_deref() {
        let secs = crate::time::parse_rfc3339(since).ok_or_else(|| {
            ApiError::bad_request(format!(
                "updated_since: {since:?} is not an RFC 3339 timestamp"
            ))
        })?;
        let page = state.data().users_since(secs, after.as_deref(), limit);
        return Ok(page_json("users", page));
    }
    let config = &state.config;
    let data = state.data();
    let overlapping = after
        .as_deref()
        .filter(|_| config.has_fault(Fault::DuplicateIds))
        .and_then(|after| data.users_overlapping(after, limit));
    let mut page = overlapping.unwrap_or_else(|| data.users(after.as_deref(), limit));
    if config.has_fault(Fault::CursorLoop)
        && page.next.is_none()
        && let Some(after) = after.as_deref()
        && data.user_position(after) >= 2 * limit
    {
        // The last page, the third or a later one: hand back the first page's cursor.
        page.next = data.user_at(limit).map(str::to_owned);
    }
    drop(data);
    Ok(page_json("users", page))
}

pub(crate) async fn create_user(
    State(state): State<Arc<AppState>>,
    new: Result<Json<NewUser>, JsonRejection>,
) -> Reply {
    let new = body(new)?;
    let user = state.data().create_user(new)?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

pub(crate) async fn get_user(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Reply {
    let user = state.data().user(&id)?.clone();
    Ok(Json(user).into_response())
}

/// `PATCH /api/users/{id}` → `{"user": …, "changed": [attribute names]}`.
pub(crate) async fn patch_user(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    patch: Result<Json<UserPatch>, JsonRejection>,
) -> Reply {
    let patch = body(patch)?;
    let (user, changed) = state.data().update_user(&id, patch)?;
    Ok(Json(json!({"user": user, "changed": changed})).into_response())
}

/// `GET /api/users/{id}/memberships?limit&after` → `{"memberships": [{"kind": "group"|"role",
/// "id"}], "next"}`: the user's groups, then roles; the cursor is `<kind>:<id>`.
pub(crate) async fn user_memberships(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let holdings = state.data().holdings(&id)?;
    let page = keyed_page(
        holdings
            .into_iter()
            .map(|(kind, id)| (format!("{kind}:{id}"), json!({"kind": kind, "id": id}))),
        after.as_deref(),
        limit,
    );
    Ok(page_json("memberships", page))
}

pub(crate) async fn delete_user(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Reply {
    state.data().delete_user(&id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn activate(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Reply {
    let user = state.data().set_status(&id, "active")?;
    Ok(Json(user).into_response())
}

pub(crate) async fn deactivate(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Reply {
    let user = state.data().set_status(&id, "suspended")?;
    Ok(Json(user).into_response())
}

pub(crate) async fn user_last_activity(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Reply {
    let activity = state.data().last_activity(&[id.as_str()])?;
    Ok(Json(json!({"user_id": id, "last_activity": activity.first()})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct Ids {
    ids: Option<String>,
}

/// `GET /api/last-activity?ids=u-1,u-2`: up to [`MAX_ACTIVITY_BATCH`] users at once.
pub(crate) async fn last_activity(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Ids>, QueryRejection>,
) -> Reply {
    let Query(ids) =
        query.map_err(|e| ApiError::bad_request(format!("invalid query: {}", e.body_text())))?;
    let ids: Vec<&str> = ids
        .ids
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect();
    if ids.is_empty() {
        return Err(ApiError::bad_request("ids: give at least one user id"));
    }
    if ids.len() > MAX_ACTIVITY_BATCH {
        return Err(ApiError::bad_request(format!(
            "ids: at most {MAX_ACTIVITY_BATCH} user ids at once, got {}",
            ids.len()
        )));
    }
    let data = state.data();
    let activity = data.last_activity(&ids)?;
    let active = activity.iter().filter(|at| at.is_some()).count();
    let mut items: Vec<Value> = ids
        .iter()
        .zip(activity)
        .map(|(id, at)| json!({"user_id": id, "last_activity": at}))
        .collect();
    if state.config.has_fault(Fault::OversizedPage)
        && let Some(last) = ids.iter().max()
    {
        // One more active entry than ids asked for.
        let extra = ids.len() + 1 - active;
        items.extend(
            data.other_active_users(last, &ids, extra)
                .into_iter()
                .map(|(id, at)| json!({"user_id": id, "last_activity": at})),
        );
    }
    drop(data);
    Ok(Json(json!({"activity": items})).into_response())
}

pub(crate) async fn list_groups(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let page = state.data().groups(after.as_deref(), limit);
    Ok(page_json("groups", page))
}

pub(crate) async fn group_members(
    State(state): State<Arc<AppState>>,
    Path(group): Path<String>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let data = state.data();
    let phantom = (state.config.has_fault(Fault::DanglingAssociation)
        && data.first_group() == Some(group.as_str()))
    .then_some(PHANTOM_MEMBER);
    let page = data.group_members(&group, phantom, after.as_deref(), limit)?;
    drop(data);
    Ok(page_json("members", page))
}

/// `GET /api/memberships?limit&after`: every group membership, by group then user.
pub(crate) async fn memberships(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let page = state.data().memberships(after.as_deref(), limit)?;
    Ok(page_json("memberships", page))
}

fn group_change(group: &str, user: &str, member: bool, change: Change) -> Response {
    Json(json!({"group_id": group, "user_id": user, "member": member, "changed": change.changed}))
        .into_response()
}

pub(crate) async fn add_group_member(
    State(state): State<Arc<AppState>>,
    Path((group, user)): Path<(String, String)>,
) -> Reply {
    let change = state.data().set_group_member(&group, &user, true)?;
    Ok(group_change(&group, &user, true, change))
}

pub(crate) async fn remove_group_member(
    State(state): State<Arc<AppState>>,
    Path((group, user)): Path<(String, String)>,
) -> Reply {
    let change = state.data().set_group_member(&group, &user, false)?;
    Ok(group_change(&group, &user, false, change))
}

pub(crate) async fn list_roles(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let page = state.data().roles(after.as_deref(), limit);
    Ok(page_json("roles", page))
}

pub(crate) async fn role_members(
    State(state): State<Arc<AppState>>,
    Path(role): Path<String>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let page = state.data().role_members(&role, after.as_deref(), limit)?;
    Ok(page_json("members", page))
}

fn role_change(role: &str, user: &str, member: bool, change: Change) -> Response {
    Json(json!({"role_id": role, "user_id": user, "member": member, "changed": change.changed}))
        .into_response()
}

pub(crate) async fn add_role_member(
    State(state): State<Arc<AppState>>,
    Path((role, user)): Path<(String, String)>,
) -> Reply {
    let change = state.data().set_role_member(&role, &user, true)?;
    Ok(role_change(&role, &user, true, change))
}

pub(crate) async fn remove_role_member(
    State(state): State<Arc<AppState>>,
    Path((role, user)): Path<(String, String)>,
) -> Reply {
    let change = state.data().set_role_member(&role, &user, false)?;
    Ok(role_change(&role, &user, false, change))
}

pub(crate) async fn custom_attributes() -> Response {
    Json(json!({"attributes": [
        {"name": "department", "type": "string", "description": "The department the user works in"},
        {"name": "manager", "type": "user", "description": "The user's manager"},
    ]}))
    .into_response()
}
