//! The access graph: groups nested in groups, application workspaces placed in groups, and
//! the admin role implying membership of the Admins group.
//!
//! A pure function of numbers: group `n + 8` ("Engineering 2") sits inside group `n`
//! ("Engineering") ([`parent_group`]); application `a`'s workspace sits in group
//! `(a - 1) % groups + 1` ([`workspace_group`]).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use serde_json::json;

use crate::AppState;
use crate::api::{Paging, Reply, page_json, paging};
use crate::apps::{APP_NAMES, workspace_id};
use crate::data::{ADMIN_ROLE, GROUP_NAMES, Page, group_id, group_name};

/// The group generated group `n` sits in, if any: `n - 8` for groups past the eighth.
pub fn parent_group(n: usize) -> Option<usize> {
    n.checked_sub(GROUP_NAMES.len()).filter(|&p| p > 0)
}

/// The group application `a`'s workspace sits in, among `groups` groups.
pub fn workspace_group(a: usize, groups: usize) -> Option<usize> {
    (groups > 0).then(|| (a - 1) % groups + 1)
}

/// The number of a generated group id (`g-003` → 3).
fn group_number(id: &str) -> Option<usize> {
    id.strip_prefix("g-")?.parse().ok()
}

/// `GET /api/group-tree?limit&after` → `{"groups": [{"id", "name", "subgroups": [ids],
/// "workspaces": [{"id", "name"}]}], "next"}`, paged by group id.
pub(crate) async fn group_tree(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let groups = state.config.groups;
    let page = state.data().groups(after.as_deref(), limit);
    let items = page
        .items
        .into_iter()
        .map(|group| {
            let n = group_number(&group.id).unwrap_or(0);
            let subgroups: Vec<String> = (n + 1..=groups)
                .filter(|&m| parent_group(m) == Some(n))
                .map(group_id)
                .collect();
            let workspaces: Vec<_> = (1..=APP_NAMES.len())
                .filter(|&a| workspace_group(a, groups) == Some(n))
                .map(|a| json!({"id": workspace_id(a), "name": format!("{} workspace", APP_NAMES[a - 1])}))
                .collect();
            json!({"id": group.id, "name": group.name, "subgroups": subgroups,
                   "workspaces": workspaces})
        })
        .collect();
    Ok(page_json(
        "groups",
        Page {
            items,
            next: page.next,
        },
    ))
}

/// `GET /api/role-implications` → `{"implications": [{"role_id", "role_name", "group_ids"}]}`:
/// holding the admin role implies membership of every group named `Admins`.
pub(crate) async fn role_implications(State(state): State<Arc<AppState>>) -> Reply {
    let groups: Vec<String> = (1..=state.config.groups)
        .filter(|&n| group_name(n) == GROUP_NAMES[0])
        .map(group_id)
        .collect();
    Ok(Json(json!({"implications": [
        {"role_id": ADMIN_ROLE, "role_name": "Administrator", "group_ids": groups},
    ]}))
    .into_response())
}
