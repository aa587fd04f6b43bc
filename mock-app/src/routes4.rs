//! The routes protocol 4's capabilities read and change, beside the original API's.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post, put};

use crate::{AppState, activity, api, apps, graph, nhi, offboarding, spend};

/// Applications, activity, non-human identities, expenses, the access graph, offboarding.
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/users/{id}/memberships", get(api::user_memberships))
        .route("/api/users/{id}/transfer", post(offboarding::transfer))
        .route("/api/users/{id}/release", post(offboarding::release))
        .route("/api/users/{id}/downgrade", post(offboarding::downgrade))
        .route("/api/data-recency", get(activity::data_recency))
        .route("/api/activity", get(activity::list_activity))
        .route("/api/app-activity", get(activity::list_app_activity))
        .route("/api/apps", get(apps::list_apps))
        .route("/api/apps/{app}", get(apps::get_app))
        .route(
            "/api/apps/{app}/users/{user}",
            get(apps::get_assignment)
                .put(apps::assign)
                .delete(apps::unassign),
        )
        .route(
            "/api/apps/{app}/resources/{resource}/entitlements/{entitlement}/users/{user}",
            put(apps::grant).delete(apps::revoke),
        )
        .route("/api/app-assignments", get(apps::list_assignments))
        .route("/api/app-resources", get(apps::list_resources))
        .route("/api/app-entitlements", get(apps::list_entitlements))
        .route("/api/app-grants", get(apps::list_grants))
        .route("/api/service-accounts", get(nhi::list_service_accounts))
        .route("/api/credentials", get(nhi::list_credentials))
        .route("/api/expenses", get(spend::list_expenses))
        .route("/api/group-tree", get(graph::group_tree))
        .route("/api/role-implications", get(graph::role_implications))
}
