//! The API protocol 4's capabilities use, as a client sees it: changes visible in later reads
//! and in the since-filter, assignments, relationships that hold.

use mock_app::{Config, app_id, assigned_apps, user_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{App, message};

/// Every item of a listing at `path` (`?` or `&` already in it as needed), `limit` at a time.
async fn all(app: &App, path: &str, key: &str, limit: usize) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after = String::new();
    let join = if path.contains('?') { '&' } else { '?' };
    for _ in 0..10_000 {
        let (status, body) = app
            .get(&format!("{path}{join}limit={limit}&after={after}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        items.extend(body[key].as_array().unwrap().iter().cloned());
        match body["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => return items,
        }
    }
    panic!("{path} did not end");
}

fn ids(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|item| item[key].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_patch_shows_in_reads_and_in_the_since_filter() {
    let app = App::start(Config::with_users(25).groups(3)).await;
    let since = "/api/users?updated_since=2025-01-01T00:00:00Z";
    assert!(all(&app, since, "users", 2).await.is_empty());
    let (status, body) = app
        .call(
            Method::PATCH,
            &format!("/api/users/{}", user_id(7)),
            Some(json!({"first_name": "Zoe", "department": "Legal"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["changed"], json!(["first_name", "department"]));
    let (_, user) = app.get(&format!("/api/users/{}", user_id(7))).await;
    assert_eq!(user["first_name"], "Zoe");
    assert_eq!(user["department"], "Legal");
    assert!(user["updated_at"].as_str().unwrap() > "2025");
    app.call(
        Method::POST,
        &format!("/api/users/{}/deactivate", user_id(21)),
        None,
    )
    .await;
    let changed = all(&app, since, "users", 1).await;
    assert_eq!(ids(&changed, "id"), [user_id(7), user_id(21)]);
    assert_eq!(changed[0]["first_name"], "Zoe");
    let (status, body) = app.get("/api/users?updated_since=last%20week").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("updated_since"));
    let (status, body) = app
        .call(
            Method::PATCH,
            &format!("/api/users/{}", user_id(7)),
            Some(json!({"shoe_size": 44})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn assignments_and_grants_change_and_go_together() {
    let app = App::start(Config::with_users(10).groups(3)).await;
    let user = user_id(1);
    let assignment = format!("/api/apps/{}/users/{user}", app_id(1));
    assert!(!assigned_apps(1).contains(&1));
    assert_eq!(app.get(&assignment).await.0, StatusCode::NOT_FOUND);
    let grant = format!(
        "/api/apps/{}/resources/ws-01/entitlements/admin/users/{user}",
        app_id(1)
    );
    let (status, body) = app.call(Method::PUT, &grant, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, body) = app.call(Method::PUT, &assignment, None).await;
    assert_eq!(body["changed"], true);
    let (_, body) = app.call(Method::PUT, &assignment, None).await;
    assert_eq!(body["changed"], false, "assigning is idempotent");
    assert_eq!(app.get(&assignment).await.0, StatusCode::OK);
    let (_, body) = app.call(Method::PUT, &grant, None).await;
    assert_eq!(body["changed"], true);
    let holds = |grants: &[Value]| {
        grants
            .iter()
            .any(|g| g["user_id"] == user.as_str() && g["app_id"] == app_id(1).as_str())
    };
    assert!(holds(&all(&app, "/api/app-grants", "grants", 7).await));
    let (_, body) = app.call(Method::DELETE, &assignment, None).await;
    assert_eq!(body["changed"], true);
    assert!(
        !holds(&all(&app, "/api/app-grants", "grants", 7).await),
        "unassigning revokes the app's entitlements"
    );
    let (_, recency) = app.get("/api/data-recency").await;
    assert!(recency["applications"].as_str().unwrap() > "2025");
}

#[tokio::test]
async fn credentials_service_accounts_and_expenses_point_at_existing_users() {
    let app = App::start(Config::with_users(40).groups(3)).await;
    let check =
        |users: &[String], credentials: &[Value], accounts: &[Value], expenses: &[Value]| {
            let account_ids = ids(accounts, "id");
            for credential in credentials {
                let opens_user = credential["user_id"]
                    .as_str()
                    .is_some_and(|u| users.iter().any(|x| x == u));
                let opens_account = credential["service_account_id"]
                    .as_str()
                    .is_some_and(|a| account_ids.iter().any(|x| x == a));
                assert!(opens_user != opens_account, "{credential}");
            }
            for account in accounts {
                let owner = &account["owner_id"];
                assert!(
                    owner.is_null() || users.iter().any(|u| owner == u.as_str()),
                    "{account}"
                );
            }
            for expense in expenses {
                assert!(
                    users.iter().any(|u| expense["user_id"] == u.as_str()),
                    "{expense}"
                );
                assert_eq!(expense["submitter"]["id"], expense["user_id"]);
            }
        };
    let users = ids(&all(&app, "/api/users", "users", 100).await, "id");
    let credentials = all(&app, "/api/credentials", "credentials", 5).await;
    let accounts = all(&app, "/api/service-accounts", "service_accounts", 3).await;
    let expenses = all(&app, "/api/expenses", "expenses", 4).await;
    assert_eq!(accounts.len(), mock_app::service_account_count(40));
    assert_eq!(credentials.len(), accounts.len() + 40 / 5);
    assert_eq!(
        expenses.len(),
        (1..=40).filter(|&n| mock_app::submits_expense(n)).count()
    );
    check(&users, &credentials, &accounts, &expenses);
    // User 10 has a key, user 7 owns sa-0001, user 1 submitted an expense.
    for n in [10, 7, 1] {
        let (status, _) = app
            .call(Method::DELETE, &format!("/api/users/{}", user_id(n)), None)
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let users = ids(&all(&app, "/api/users", "users", 100).await, "id");
    let credentials = all(&app, "/api/credentials", "credentials", 5).await;
    let accounts = all(&app, "/api/service-accounts", "service_accounts", 3).await;
    let expenses = all(
        &app,
        "/api/expenses?from=2024-01-01T00:00:00Z",
        "expenses",
        4,
    )
    .await;
    check(&users, &credentials, &accounts, &expenses);
    assert_eq!(accounts[0]["owner_id"], Value::Null);
}

#[tokio::test]
async fn the_group_tree_role_implications_and_offboarding() {
    let app = App::start(Config::with_users(10).groups(10)).await;
    let groups = all(&app, "/api/group-tree", "groups", 3).await;
    assert_eq!(groups.len(), 10);
    assert_eq!(groups[0]["subgroups"], json!(["g-009"]));
    assert_eq!(groups[8]["subgroups"], json!([]));
    let (_, implications) = app.get("/api/role-implications").await;
    // "Admins 2" (g-009) is not named "Admins": only g-001 comes with the role.
    assert_eq!(
        implications["implications"][0]["group_ids"],
        json!(["g-001"])
    );
    let (_, body) = app
        .call(
            Method::POST,
            &format!("/api/users/{}/downgrade", user_id(2)),
            None,
        )
        .await;
    assert_eq!(
        (body["changed"].clone(), body["user"]["license"].clone()),
        (json!(true), json!("free"))
    );
    let (_, body) = app
        .call(
            Method::POST,
            &format!("/api/users/{}/downgrade", user_id(2)),
            None,
        )
        .await;
    assert_eq!(body["changed"], false);
    let (_, body) = app
        .call(
            Method::POST,
            &format!("/api/users/{}/transfer", user_id(2)),
            Some(json!({"to": user_id(3)})),
        )
        .await;
    assert_eq!(body["user"]["data_owner"], user_id(3));
    let (status, _) = app
        .call(
            Method::POST,
            &format!("/api/users/{}/transfer", user_id(2)),
            Some(json!({"to": user_id(2)})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, body) = app
        .call(
            Method::POST,
            &format!("/api/users/{}/release", user_id(2)),
            None,
        )
        .await;
    assert_eq!(body["user"]["license"], "none");
}
