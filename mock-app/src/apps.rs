//! Applications: a generated catalogue of apps the directory signs people on to, each with one
//! workspace resource holding two entitlements (`member`, `admin`), who is assigned to which
//! app, and who holds which entitlement inside it.
//!
//! Generated state is a pure function of numbers: see [`app_id`], [`assigned_apps`] and
//! [`app_admin`]. Rules: granting an app entitlement needs the app assignment; unassigning an
//! app revokes its entitlements; deleting a user drops both.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;
use serde_json::json;

use crate::AppState;
use crate::api::{Paging, Reply, page_json, paging};
use crate::data::{ApiError, Page, keyed_page};
use crate::time::now;

/// The names of the generated applications, in id order (`app-01` is Slack).
pub const APP_NAMES: &[&str] = &["Slack", "GitHub", "Figma", "Zoom", "Notion", "Legacy CRM"];

/// The entitlements every application's workspace has.
pub const APP_ENTITLEMENTS: &[&str] = &["member", "admin"];

/// The resource type of an application's workspace.
pub const WORKSPACE: &str = "workspace";

/// The id of the a-th application (from 1): `app-01`.
pub fn app_id(a: usize) -> String {
    format!("app-{a:02}")
}

/// The id of the a-th application's workspace: `ws-01`.
pub fn workspace_id(a: usize) -> String {
    format!("ws-{a:02}")
}

/// The numbers of the applications generated user `n` is assigned to: those with
/// `(n + a) % 3 == 0`.
pub fn assigned_apps(n: usize) -> Vec<usize> {
    (1..=APP_NAMES.len())
        .filter(|a| (n + a).is_multiple_of(3))
        .collect()
}

/// Whether generated user `n` holds `admin` in application `a` (besides `member`, which every
/// assigned user holds): when `n % 10 == a`.
pub fn app_admin(n: usize, a: usize) -> bool {
    n % 10 == a && assigned_apps(n).contains(&a)
}

/// An application of the catalogue.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct App {
    id: String,
    name: String,
    description: String,
    /// `active` or `inactive` (the last application is retired).
    status: &'static str,
    /// `saml`, `oidc` or `bookmark`.
    sign_on: &'static str,
    login_url: String,
}

/// An application's workspace.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Resource {
    app_id: String,
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Applications, assignments and grants.
#[derive(Debug)]
pub(crate) struct Apps {
    apps: BTreeMap<String, App>,
    /// `(app id, user id)`.
    assignments: BTreeSet<(String, String)>,
    /// `(app id, user id, entitlement id)`; the resource is the app's workspace.
    grants: BTreeSet<(String, String, String)>,
    /// When an assignment or a grant last changed.
    pub(crate) changed: u64,
}

impl Apps {
    /// The catalogue, and the assignments and grants of `users` generated users.
    pub(crate) fn generate(users: usize) -> Self {
        let apps = (1..=APP_NAMES.len())
            .map(|a| {
                let name = APP_NAMES[a - 1];
                let app = App {
                    id: app_id(a),
                    name: name.to_owned(),
                    description: format!("{name}, signed on through the directory"),
                    status: if a == APP_NAMES.len() {
                        "inactive"
                    } else {
                        "active"
                    },
                    sign_on: ["saml", "oidc", "bookmark"][a % 3],
                    login_url: format!("https://sso.example.com/{}", app_id(a)),
                };
                (app.id.clone(), app)
            })
            .collect();
        let mut assignments = BTreeSet::new();
        let mut grants = BTreeSet::new();
        for n in 1..=users {
            let user = crate::data::user_id(n);
            for a in assigned_apps(n) {
                assignments.insert((app_id(a), user.clone()));
                grants.insert((app_id(a), user.clone(), APP_ENTITLEMENTS[0].to_owned()));
                if app_admin(n, a) {
                    grants.insert((app_id(a), user.clone(), APP_ENTITLEMENTS[1].to_owned()));
                }
            }
        }
        Self {
            apps,
            assignments,
            grants,
            changed: crate::data::modified_at(1),
        }
    }

    fn app(&self, id: &str) -> Result<&App, ApiError> {
        self.apps
            .get(id)
            .ok_or_else(|| ApiError::not_found(format!("no application {id}")))
    }

    /// Checks that `resource` is `app`'s workspace and `entitlement` one of its entitlements.
    fn entitlement(&self, app: &str, resource: &str, entitlement: &str) -> Result<(), ApiError> {
        self.app(app)?;
        let workspace = format!("ws-{}", app.trim_start_matches("app-"));
        if resource != workspace {
            return Err(ApiError::not_found(format!(
                "no resource {resource} in application {app}"
            )));
        }
        if !APP_ENTITLEMENTS.contains(&entitlement) {
            return Err(ApiError::not_found(format!(
                "no entitlement {entitlement} on resource {resource}"
            )));
        }
        Ok(())
    }

    pub(crate) fn is_assigned(&self, app: &str, user: &str) -> bool {
        self.assignments
            .contains(&(app.to_owned(), user.to_owned()))
    }

    /// Every assignment, in (app, user) order.
    pub(crate) fn assignments(&self) -> impl Iterator<Item = (&str, &str)> {
        self.assignments
            .iter()
            .map(|(a, u)| (a.as_str(), u.as_str()))
    }

    /// The workspaces, in id order.
    pub(crate) fn resources(&self) -> Vec<Resource> {
        self.apps
            .values()
            .map(|app| Resource {
                id: format!("ws-{}", app.id.trim_start_matches("app-")),
                name: format!("{} workspace", app.name),
                app_id: app.id.clone(),
                kind: WORKSPACE,
            })
            .collect()
    }

    /// Assigns (or unassigns) an application; unassigning revokes its entitlements. Returns
    /// whether anything changed.
    pub(crate) fn set_assigned(
        &mut self,
        app: &str,
        user: &str,
        assigned: bool,
    ) -> Result<bool, ApiError> {
        self.app(app)?;
        let key = (app.to_owned(), user.to_owned());
        let changed = if assigned {
            self.assignments.insert(key)
        } else {
            self.grants.retain(|(a, u, _)| !(a == app && u == user));
            self.assignments.remove(&key)
        };
        if changed {
            self.changed = now();
        }
        Ok(changed)
    }

    /// Grants (or revokes) an entitlement inside an application: granting needs the
    /// assignment (409 otherwise). Returns whether anything changed.
    pub(crate) fn set_granted(
        &mut self,
        (app, resource, entitlement): (&str, &str, &str),
        user: &str,
        granted: bool,
    ) -> Result<bool, ApiError> {
        self.entitlement(app, resource, entitlement)?;
        if granted && !self.is_assigned(app, user) {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("user {user} is not assigned to application {app}"),
            ));
        }
        let key = (app.to_owned(), user.to_owned(), entitlement.to_owned());
        let changed = if granted {
            self.grants.insert(key)
        } else {
            self.grants.remove(&key)
        };
        if changed {
            self.changed = now();
        }
        Ok(changed)
    }

    /// Drops a deleted user's assignments and grants.
    pub(crate) fn forget(&mut self, user: &str) {
        self.assignments.retain(|(_, u)| u != user);
        self.grants.retain(|(_, u, _)| u != user);
    }

    fn apps_page(&self, after: Option<&str>, limit: usize) -> Page<App> {
        keyed_page(
            self.apps.iter().map(|(id, app)| (id.clone(), app.clone())),
            after,
            limit,
        )
    }
}

/// `GET /api/apps?limit&after` → `{"apps": [...], "next"}`.
pub(crate) async fn list_apps(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let page = state.data().apps.apps_page(after.as_deref(), limit);
    Ok(page_json("apps", page))
}

/// `GET /api/apps/{app}` → the application.
pub(crate) async fn get_app(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Reply {
    let app = state.data().apps.app(&id)?.clone();
    Ok(Json(app).into_response())
}

/// An assignment with the user's status, as the API shows it.
fn assignment(app: &str, user: &str, status: &str) -> serde_json::Value {
    json!({"app_id": app, "user_id": user, "status": status})
}

/// `GET /api/app-assignments?limit&after` → `{"assignments": [{"app_id", "user_id", "status"}],
/// "next"}`, by app then user; the cursor is `<app id>:<user id>`.
pub(crate) async fn list_assignments(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let data = state.data();
    let items = data.apps.assignments().map(|(app, user)| {
        let status = data.user(user).map_or("active", |u| u.status.as_str());
        (format!("{app}:{user}"), assignment(app, user, status))
    });
    let page = keyed_page(items, after.as_deref(), limit);
    drop(data);
    Ok(page_json("assignments", page))
}

/// `GET /api/apps/{app}/users/{user}` → the assignment, or 404 when the user is not assigned.
pub(crate) async fn get_assignment(
    State(state): State<Arc<AppState>>,
    Path((app, user)): Path<(String, String)>,
) -> Reply {
    let data = state.data();
    data.apps.app(&app)?;
    let status = data.user(&user)?.status.clone();
    if !data.apps.is_assigned(&app, &user) {
        return Err(ApiError::not_found(format!(
            "user {user} is not assigned to application {app}"
        )));
    }
    Ok(Json(assignment(&app, &user, &status)).into_response())
}

fn assignment_change(state: &AppState, app: &str, user: &str, assigned: bool) -> Reply {
    let mut data = state.data();
    let status = data.user(user)?.status.clone();
    let changed = data.apps.set_assigned(app, user, assigned)?;
    Ok(
        Json(json!({"app_id": app, "user_id": user, "status": status,
                   "assigned": assigned, "changed": changed}))
        .into_response(),
    )
}

/// `PUT /api/apps/{app}/users/{user}` → `{"app_id", "user_id", "status", "assigned",
/// "changed"}` (idempotent).
pub(crate) async fn assign(
    State(state): State<Arc<AppState>>,
    Path((app, user)): Path<(String, String)>,
) -> Reply {
    assignment_change(&state, &app, &user, true)
}

/// `DELETE /api/apps/{app}/users/{user}`: also revokes the user's entitlements in the app.
pub(crate) async fn unassign(
    State(state): State<Arc<AppState>>,
    Path((app, user)): Path<(String, String)>,
) -> Reply {
    assignment_change(&state, &app, &user, false)
}

/// `GET /api/app-resources?limit&after` → `{"resources": [{"app_id", "id", "name", "type"}],
/// "next"}`.
pub(crate) async fn list_resources(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let resources = state.data().apps.resources();
    let page = keyed_page(
        resources.into_iter().map(|r| (r.id.clone(), r)),
        after.as_deref(),
        limit,
    );
    Ok(page_json("resources", page))
}

/// `GET /api/app-entitlements?limit&after` → `{"entitlements": [{"app_id", "resource_id",
/// "id", "name"}], "next"}`; the cursor is `<resource id>:<entitlement id>`.
pub(crate) async fn list_entitlements(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let resources = state.data().apps.resources();
    let items = resources.into_iter().flat_map(|r| {
        APP_ENTITLEMENTS.iter().map(move |e| {
            let name = format!("{} of {}", capitalized(e), r.name);
            (
                format!("{}:{e}", r.id),
                json!({"app_id": r.app_id, "resource_id": r.id, "id": e, "name": name}),
            )
        })
    });
    let page = keyed_page(items, after.as_deref(), limit);
    Ok(page_json("entitlements", page))
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `GET /api/app-grants?limit&after` → `{"grants": [{"app_id", "user_id", "resource_id",
/// "entitlement_id"}], "next"}`; the cursor is `<app id>:<user id>:<entitlement id>`.
pub(crate) async fn list_grants(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let data = state.data();
    let items = data.apps.grants.iter().map(|(app, user, entitlement)| {
        let resource = format!("ws-{}", app.trim_start_matches("app-"));
        (
            format!("{app}:{user}:{entitlement}"),
            json!({"app_id": app, "user_id": user, "resource_id": resource,
                   "entitlement_id": entitlement}),
        )
    });
    let page = keyed_page(items, after.as_deref(), limit);
    drop(data);
    Ok(page_json("grants", page))
}

fn grant_change(
    state: &AppState,
    (app, resource, entitlement, user): (String, String, String, String),
    granted: bool,
) -> Reply {
    let mut data = state.data();
    data.user(&user)?;
    let changed = data
        .apps
        .set_granted((&app, &resource, &entitlement), &user, granted)?;
    Ok(Json(
        json!({"app_id": app, "resource_id": resource, "entitlement_id": entitlement,
                   "user_id": user, "granted": granted, "changed": changed}),
    )
    .into_response())
}

/// `PUT /api/apps/{app}/resources/{resource}/entitlements/{entitlement}/users/{user}` →
/// `{…, "granted", "changed"}` (idempotent; 409 when the user is not assigned to the app).
pub(crate) async fn grant(
    State(state): State<Arc<AppState>>,
    Path(path): Path<(String, String, String, String)>,
) -> Reply {
    grant_change(&state, path, true)
}

/// `DELETE /api/apps/{app}/resources/{resource}/entitlements/{entitlement}/users/{user}`.
pub(crate) async fn revoke(
    State(state): State<Arc<AppState>>,
    Path(path): Path<(String, String, String, String)>,
) -> Reply {
    grant_change(&state, path, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_assignments_and_grants_follow_the_numbers() {
        let apps = Apps::generate(12);
        assert_eq!(assigned_apps(1), vec![2, 5]);
        assert!(apps.is_assigned("app-02", "u-0000001"));
        assert!(!apps.is_assigned("app-01", "u-0000001"));
        assert!(app_admin(2, 2) == assigned_apps(2).contains(&2));
        let grants = apps.grants.len();
        let expected: usize = (1..=12)
            .map(|n| {
                assigned_apps(n).len()
                    + assigned_apps(n)
                        .iter()
                        .filter(|&&a| app_admin(n, a))
                        .count()
            })
            .sum();
        assert_eq!(grants, expected);
    }

    #[test]
    fn grants_need_the_assignment_and_go_with_it() {
        let mut apps = Apps::generate(3);
        let target = ("app-01", "ws-01", "admin");
        assert_eq!(
            apps.set_granted(target, "u-0000001", true)
                .unwrap_err()
                .status,
            StatusCode::CONFLICT
        );
        assert!(apps.set_assigned("app-01", "u-0000001", true).unwrap());
        assert!(!apps.set_assigned("app-01", "u-0000001", true).unwrap());
        assert!(apps.set_granted(target, "u-0000001", true).unwrap());
        assert!(!apps.set_granted(target, "u-0000001", true).unwrap());
        assert!(apps.set_assigned("app-01", "u-0000001", false).unwrap());
        assert!(
            !apps
                .grants
                .iter()
                .any(|(a, u, _)| a == "app-01" && u == "u-0000001"),
            "unassigning revokes the app's entitlements"
        );
        assert_eq!(
            apps.set_granted(("app-01", "ws-02", "admin"), "u-0000001", false)
                .unwrap_err()
                .status,
            StatusCode::NOT_FOUND
        );
    }
}
