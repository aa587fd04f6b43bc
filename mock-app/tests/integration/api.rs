//! The REST API as a client sees it: status codes, error bodies, state that changes.

use mock_app::{Config, user_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{App, message};

#[tokio::test]
async fn errors_are_json_with_proper_statuses() {
    let app = App::start(Config::with_users(3).groups(2)).await;
    let unauthenticated = app
        .client
        .get(format!("{}/api/users", app.app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
    let cases = [
        (
            Method::GET,
            "/api/users/u-0000404",
            None,
            StatusCode::NOT_FOUND,
            "no user u-0000404",
        ),
        (
            Method::GET,
            "/api/groups/g-404/members",
            None,
            StatusCode::NOT_FOUND,
            "no group g-404",
        ),
        (
            Method::PUT,
            "/api/roles/owner/members/u-0000001",
            None,
            StatusCode::NOT_FOUND,
            "no role owner",
        ),
        (
            Method::GET,
            "/api/users?limit=many",
            None,
            StatusCode::BAD_REQUEST,
            "invalid query",
        ),
        (
            Method::GET,
            "/api/memberships?after=nonsense",
            None,
            StatusCode::BAD_REQUEST,
            "not a membership cursor",
        ),
        (
            Method::GET,
            "/api/last-activity",
            None,
            StatusCode::BAD_REQUEST,
            "at least one user id",
        ),
        (
            Method::POST,
            "/api/users",
            Some(json!({"name": "x"})),
            StatusCode::BAD_REQUEST,
            "missing field `email`",
        ),
        (
            Method::POST,
            "/api/users",
            Some(json!({"email": "x"})),
            StatusCode::BAD_REQUEST,
            "is not an email address",
        ),
        (
            Method::POST,
            "/api/users",
            Some(json!({"email": "a@b.c", "status": "gone"})),
            StatusCode::BAD_REQUEST,
            "status",
        ),
        (
            Method::POST,
            "/api/users",
            Some(json!({"email": "a@b.c", "manager": "u-9"})),
            StatusCode::BAD_REQUEST,
            "manager u-9 is not a user",
        ),
        (
            Method::GET,
            "/api/nothing-here",
            None,
            StatusCode::NOT_FOUND,
            "no such endpoint",
        ),
        (
            Method::PATCH,
            "/api/users",
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            "method not allowed",
        ),
    ];
    for (method, path, body, status, fragment) in cases {
        let (got, body) = app.call(method.clone(), path, body).await;
        assert_eq!(got, status, "{method} {path}: {body}");
        assert!(message(&body).contains(fragment), "{method} {path}: {body}");
    }
    let ids: Vec<String> = (1..=101).map(user_id).collect();
    let (status, body) = app
        .get(&format!("/api/last-activity?ids={}", ids.join(",")))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn a_user_is_created_switched_and_deleted() {
    let app = App::start(Config::with_users(3).groups(2)).await;
    let (status, user) = app
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"email": "zed@example.com", "first_name": "Zed", "department": "Legal", "manager": user_id(1)})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let mut user = user;
    let updated_at = user["updated_at"].take();
    assert!(
        updated_at.as_str().is_some_and(|at| at > "2025"),
        "{updated_at}"
    );
    assert_eq!(
        user,
        json!({"id": user_id(4), "email": "zed@example.com", "first_name": "Zed", "last_name": "",
               "username": "zed", "status": "active", "department": "Legal", "manager": user_id(1),
               "license": "pro", "data_owner": null, "updated_at": null})
    );
    let (status, body) = app
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"email": "Zed@Example.com"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message(&body).contains("already exists"));

    for (action, expected) in [
        ("deactivate", "suspended"),
        ("deactivate", "suspended"),
        ("activate", "active"),
    ] {
        let (status, user) = app
            .call(
                Method::POST,
                &format!("/api/users/u-0000004/{action}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(user["status"], expected);
    }
    let (_, activity) = app.get("/api/users/u-0000004/last-activity").await;
    assert_eq!(
        activity,
        json!({"user_id": user_id(4), "last_activity": null})
    );

    let (status, body) = app.call(Method::DELETE, "/api/users/u-0000004", None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, _) = app.call(Method::DELETE, "/api/users/u-0000004", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page) = app.get("/api/users").await;
    assert_eq!(page["users"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn memberships_and_roles_are_idempotent() {
    let app = App::start(Config::with_users(4).groups(2)).await;
    let path = "/api/groups/g-002/members/u-0000001";
    assert!(!mock_app::groups_of(1, 2).contains(&2));
    let mut changes = Vec::new();
    for method in [Method::PUT, Method::PUT, Method::DELETE, Method::DELETE] {
        let (status, body) = app.call(method, path, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        changes.push((
            body["member"].as_bool().unwrap(),
            body["changed"].as_bool().unwrap(),
        ));
    }
    assert_eq!(
        changes,
        [(true, true), (true, false), (false, true), (false, false)]
    );

    let (status, body) = app
        .call(Method::PUT, "/api/roles/admin/members/u-0000002", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, admins) = app.get("/api/roles/admin/members").await;
    assert_eq!(
        admins,
        json!({"members": [user_id(1), user_id(2)], "next": null})
    );
    let (_, roles) = app.get("/api/roles").await;
    assert_eq!(roles["roles"][0]["id"], "admin");

    // Deleting a user removes its memberships and roles.
    app.call(Method::DELETE, "/api/users/u-0000001", None).await;
    let (_, admins) = app.get("/api/roles/admin/members").await;
    assert_eq!(admins["members"], json!([user_id(2)]));
    let (status, _) = app.call(Method::PUT, path, None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a deleted user joins nothing"
    );
}

#[tokio::test]
async fn listings_page_by_cursor_and_memberships_resume_in_another_process() {
    let config = Config::with_users(20).groups(3);
    let app = App::start(config.clone()).await;
    let (_, groups) = app.get("/api/groups?limit=2").await;
    assert_eq!(groups["next"], "g-002");
    assert_eq!(
        groups["groups"][0],
        json!({"id": "g-001", "name": "Admins", "description": "Members of Admins"})
    );
    let (_, rest) = app.get("/api/groups?limit=2&after=g-002").await;
    assert_eq!(rest["groups"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next"], Value::Null);

    let (_, members) = app.get("/api/groups/g-001/members?limit=3").await;
    let expected: Vec<String> = (1..=20)
        .filter(|&n| mock_app::groups_of(n, 3).contains(&1))
        .map(user_id)
        .collect();
    assert_eq!(members["members"], json!(expected[..3]));

    // The memberships cursor holds a position, not a session: a second app honours it.
    let (_, first) = app.get("/api/memberships?limit=5").await;
    let cursor = first["next"].as_str().unwrap().to_owned();
    let other = App::start(config).await;
    let mut all: Vec<Value> = first["memberships"].as_array().unwrap().clone();
    let mut next = Some(cursor);
    while let Some(cursor) = next {
        let (status, page) = other
            .get(&format!("/api/memberships?limit=5&after={cursor}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        all.extend(page["memberships"].as_array().unwrap().iter().cloned());
        next = page["next"].as_str().map(str::to_owned);
    }
    let mut expected = Vec::new();
    for g in 1..=3 {
        for n in (1..=20).filter(|&n| mock_app::groups_of(n, 3).contains(&g)) {
            expected.push(json!({"group_id": mock_app::group_id(g), "user_id": user_id(n)}));
        }
    }
    assert_eq!(all, expected);
}

#[tokio::test]
async fn activity_and_custom_attributes() {
    let app = App::start(Config::with_users(10)).await;
    let (_, batch) = app.get("/api/last-activity?ids=u-0000001,u-0000007").await;
    assert_eq!(
        batch,
        json!({"activity": [
            {"user_id": user_id(1), "last_activity": mock_app::last_activity(1)},
            {"user_id": user_id(7), "last_activity": null},
        ]})
    );
    let (status, body) = app.get("/api/last-activity?ids=u-0000001,u-0000404").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(message(&body), "no user u-0000404");
    let (_, attributes) = app.get("/api/custom-attributes").await;
    let names: Vec<&str> = attributes["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["department", "manager"]);
    let (_, users) = app.get("/api/users?limit=2").await;
    assert_eq!(users["users"][1]["department"], mock_app::department(2));
    assert_eq!(users["users"][1]["manager"], user_id(1));
}

#[tokio::test]
async fn faults_are_injected() {
    let mut config = Config::with_users(1);
    config.rate_limit_every = 2;
    config.error_every = 3;
    let app = App::start(config).await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(app.get("/api/me").await.0);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE
        ]
    );
}
