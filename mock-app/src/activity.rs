//! Activity: login records derived from each user's last activity, logins to applications,
//! and how recent each kind of data is.
//!
//! A user who was ever active logged in [`LOGINS_PER_USER`] times, a day apart, the last
//! one at their last activity; a user assigned to application `a` signed on to it `a` hours
//! before their last activity.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::{Reply, page_json};
use crate::data::{ApiError, keyed_page};
use crate::time::{iso8601, parse_rfc3339};

/// How many login records an active user has.
pub const LOGINS_PER_USER: u64 = 2;

/// `?since&actors&limit&after` of the activity listings.
#[derive(Debug, Deserialize)]
pub(crate) struct ActivityQuery {
    since: Option<String>,
    actors: Option<String>,
    limit: Option<usize>,
    after: Option<String>,
}

/// The query read: since (seconds), the actors asked for (all when empty), limit, cursor.
struct Filter {
    since: u64,
    actors: Vec<String>,
    limit: usize,
    after: Option<String>,
}

impl Filter {
    fn read(
        state: &AppState,
        query: Result<Query<ActivityQuery>, QueryRejection>,
    ) -> Result<Self, ApiError> {
        let Query(query) = query
            .map_err(|e| ApiError::bad_request(format!("invalid query: {}", e.body_text())))?;
        let since = query.since.as_deref().unwrap_or("");
        let since = parse_rfc3339(since).ok_or_else(|| {
            ApiError::bad_request(format!("since: {since:?} is not an RFC 3339 timestamp"))
        })?;
        Ok(Self {
            since,
            actors: query
                .actors
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            limit: query
                .limit
                .unwrap_or(100)
                .clamp(1, state.config.max_page_size),
            after: query.after.filter(|a| !a.is_empty()),
        })
    }

    fn wants(&self, user: &str) -> bool {
        self.actors.is_empty() || self.actors.iter().any(|a| a == user)
    }
}

/// `GET /api/activity?since&actors=ID,ID&limit&after` → `{"records": [{"id", "type": "login",
/// "user_id", "at"}], "next"}`: logins at or after `since`, by user then age; the cursor is the
/// last record's id (`<user id>:<n>`).
pub(crate) async fn list_activity(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ActivityQuery>, QueryRejection>,
) -> Reply {
    let filter = Filter::read(&state, query)?;
    let data = state.data();
    let from = filter
        .after
        .as_deref()
        .map(|after| after.split_once(':').map_or(after, |(user, _)| user));
    let items = data
        .activity_from(from)
        .filter(|(user, _)| filter.wants(user))
        .flat_map(|(user, last)| {
            (0..LOGINS_PER_USER).map(move |age| (user, age, last - age * 86_400))
        })
        .filter(|&(_, _, at)| at >= filter.since)
        .map(|(user, age, at)| {
            let id = format!("{user}:{age}");
            let record = json!({"id": id, "type": "login", "user_id": user, "at": iso8601(at)});
            (id, record)
        });
    let page = keyed_page(items, filter.after.as_deref(), filter.limit);
    drop(data);
    Ok(page_json("records", page))
}

/// `GET /api/app-activity?since&actors&limit&after` → `{"records": [{"id", "app_id", "type":
/// "app_login", "user_id", "at"}], "next"}`: sign-ons to applications, by app then user; the
/// cursor is the last record's id (`<app id>:<user id>`).
pub(crate) async fn list_app_activity(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ActivityQuery>, QueryRejection>,
) -> Reply {
    let filter = Filter::read(&state, query)?;
    let data = state.data();
    let items = data
        .apps
        .assignments()
        .filter(|(_, user)| filter.wants(user))
        .filter_map(|(app, user)| {
            let last = data.activity_secs(user)?;
            let hours: u64 = app.trim_start_matches("app-").parse().ok()?;
            let at = last.checked_sub(hours * 3_600)?;
            (at >= filter.since).then(|| {
                let id = format!("{app}:{user}");
                let record = json!({"id": id, "app_id": app, "type": "app_login",
                                    "user_id": user, "at": iso8601(at)});
                (id, record)
            })
        });
    let page = keyed_page(items, filter.after.as_deref(), filter.limit);
    drop(data);
    Ok(page_json("records", page))
}

/// `GET /api/data-recency` → `{"users", "groups", "applications", "activity"}`: when each kind
/// of data last changed (ISO 8601, `null` for none).
pub(crate) async fn data_recency(State(state): State<Arc<AppState>>) -> Reply {
    let data = state.data();
    let at = |secs: Option<u64>| secs.map_or(Value::Null, |s| Value::String(iso8601(s)));
    let body = json!({
        "users": at(data.users_changed()),
        "groups": at(Some(data.groups_changed)),
        "applications": at(Some(data.apps.changed)),
        "activity": at(data.activity_from(None).map(|(_, at)| at).max()),
    });
    drop(data);
    Ok(Json(body).into_response())
}
