//! The data faults (`--fault NAME`) as a client of the API sees them: each changes one route in
//! one precise way, stays within the limits asked for, and leaves every other route alone.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use mock_app::{Config, Fault, PHANTOM_MEMBER, user_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::App;

/// The ids of a `{"users": [...]}` page, and its `next`.
fn users_page(page: &Value) -> (Vec<String>, Option<String>) {
    let ids = page["users"]
        .as_array()
        .unwrap_or_else(|| panic!("not a users page: {page}"))
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    (ids, page["next"].as_str().map(str::to_owned))
}

/// Every page of `path` (a listing answering `{key: [...], "next"}`) at `limit`, following
/// `next` (at most 50 pages): each page's items and its `next`.
async fn drain(
    app: &App,
    path: &str,
    key: &str,
    limit: usize,
) -> Vec<(Vec<Value>, Option<String>)> {
    let mut pages = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..50 {
        let url = match &after {
            Some(after) => format!("{path}?limit={limit}&after={after}"),
            None => format!("{path}?limit={limit}"),
        };
        let (status, page) = app.get(&url).await;
        assert_eq!(status, StatusCode::OK, "{url}: {page}");
        let items = page[key].as_array().unwrap().clone();
        let next = page["next"].as_str().map(str::to_owned);
        assert!(items.len() <= limit, "{url}: {} items", items.len());
        assert!(
            next.is_none() || next != after,
            "{url}: the cursor it was given, handed back"
        );
        pages.push((items, next.clone()));
        match next {
            Some(next) => after = Some(next),
            None => return pages,
        }
    }
    panic!("{path}: more than 50 pages");
}

fn ids(users: &[Value]) -> Vec<String> {
    users
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

/// What a client reads from the app's routes, for comparing apps with and without a fault.
async fn snapshot(app: &App) -> Vec<(&'static str, Value)> {
    const PATHS: &[&str] = &[
        "/api/me",
        "/api/users?limit=4",
        "/api/users?limit=4&after=u-0000004",
        "/api/users?limit=4&after=u-0000008",
        "/api/users?limit=3&after=u-0000006",
        "/api/users/u-0000005",
        "/api/users/u-0000005/last-activity",
        "/api/last-activity?ids=u-0000001,u-0000002,u-0000003",
        "/api/last-activity?ids=u-0000005,u-0000006,u-0000007",
        "/api/groups?limit=2",
        "/api/groups?limit=1&after=g-001",
        "/api/groups/g-001/members?limit=3",
        "/api/groups/g-001/members?limit=100",
        "/api/groups/g-002/members?limit=100",
        "/api/memberships?limit=100",
        "/api/roles?limit=5",
        "/api/roles/admin/members?limit=5",
        "/api/custom-attributes",
    ];
    let mut out = Vec::new();
    for path in PATHS {
        let (status, body) = app.get(path).await;
        out.push((*path, json!({"status": status.as_u16(), "body": body})));
    }
    out
}

/// Each fault changes only the routes it names (`touched`: path prefixes), and nothing at all
/// changes without a fault.
#[tokio::test]
async fn each_fault_changes_only_its_route() {
    let config = Config::with_users(20).groups(3);
    assert!(config.faults.is_empty(), "no fault by default");
    let plain = snapshot(&App::start(config.clone()).await).await;
    assert_eq!(plain, snapshot(&App::start(config.clone()).await).await);
    for (fault, touched) in [
        (Fault::DuplicateIds, "/api/users?"),
        (Fault::DanglingAssociation, "/api/groups/g-001/members"),
        (Fault::CursorLoop, "/api/users?"),
        (Fault::OversizedPage, "/api/last-activity"),
    ] {
        let faulty = snapshot(&App::start(config.clone().fault(fault)).await).await;
        let mut changed = Vec::new();
        for ((path, before), (_, after)) in plain.iter().zip(&faulty) {
            if path.starts_with(touched) {
                changed.push(*path);
            } else {
                assert_eq!(before, after, "{fault} changed {path}");
            }
        }
        assert!(!changed.is_empty());
    }
}

#[tokio::test]
async fn duplicate_ids_overlap_pages_without_growing_them_or_dropping_a_user() {
    let config = Config::with_users(10).fault(Fault::DuplicateIds);
    assert!(config.has_fault(Fault::DuplicateIds));
    let app = App::start(config).await;
    let pages = drain(&app, "/api/users", "users", 4).await;
    let listed: Vec<Vec<String>> = pages.iter().map(|(users, _)| ids(users)).collect();
    let expected: Vec<Vec<String>> = [1..=4, 4..=7, 7..=10]
        .into_iter()
        .map(|range| range.map(user_id).collect())
        .collect();
    assert_eq!(
        listed, expected,
        "each page starts with the last one's last user"
    );
    let nexts: Vec<Option<String>> = pages.iter().map(|(_, next)| next.clone()).collect();
    assert_eq!(nexts, [Some(user_id(4)), Some(user_id(7)), None]);
    // The user behind the repeated id is the same user, in full.
    assert_eq!(pages[0].0[3], pages[1].0[0]);

    // A first page, a page of one, and an unknown cursor page as usual.
    let (_, first) = app.get("/api/users?limit=3").await;
    assert_eq!(
        users_page(&first),
        ((1..=3).map(user_id).collect(), Some(user_id(3)))
    );
    let (_, one) = app.get("/api/users?limit=1&after=u-0000003").await;
    assert_eq!(users_page(&one), (vec![user_id(4)], Some(user_id(4))));
    let (_, gone) = app.get("/api/users?limit=3&after=u-0000003x").await;
    assert_eq!(users_page(&gone).0, [user_id(4), user_id(5), user_id(6)]);
}

#[tokio::test]
async fn dangling_association_adds_a_member_who_is_not_a_user_to_the_first_group() {
    let config = Config::with_users(20).groups(3);
    let plain = App::start(config.clone()).await;
    let app = App::start(config.fault(Fault::DanglingAssociation)).await;
    let real: Vec<Value> = drain(&plain, "/api/groups/g-001/members", "members", 100)
        .await
        .remove(0)
        .0;
    assert_eq!(real.len(), 9);
    for limit in [3, 5, 9, 10, 100] {
        let pages = drain(&app, "/api/groups/g-001/members", "members", limit).await;
        let all: Vec<Value> = pages.iter().flat_map(|(m, _)| m.iter().cloned()).collect();
        let mut expected = real.clone();
        expected.push(json!(PHANTOM_MEMBER));
        assert_eq!(
            all, expected,
            "limit {limit}: the real members, then the phantom"
        );
    }
    // At limit 3 the phantom is alone on the last page; past it there is nothing.
    let (_, last) = app
        .get("/api/groups/g-001/members?limit=3&after=u-0000019")
        .await;
    assert_eq!(last, json!({"members": [PHANTOM_MEMBER], "next": null}));
    let (_, past) = app
        .get("/api/groups/g-001/members?limit=3&after=u-9999999")
        .await;
    assert_eq!(past, json!({"members": [], "next": null}));

    // It is no user, and nothing but that listing names it.
    let (status, _) = app.get(&format!("/api/users/{PHANTOM_MEMBER}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/groups/g-002/members/{PHANTOM_MEMBER}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, memberships) = app.get("/api/memberships?limit=1000").await;
    assert!(!memberships.to_string().contains(PHANTOM_MEMBER));

    // Writes to the first group work as usual, around the phantom.
    for (method, member, changed) in [
        (Method::PUT, true, true),
        (Method::PUT, true, false),
        (Method::DELETE, false, true),
    ] {
        let (status, body) = app
            .call(method, "/api/groups/g-001/members/u-0000002", None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            json!({"group_id": "g-001", "user_id": "u-0000002", "member": member, "changed": changed})
        );
    }
    let (status, body) = app
        .call(
            Method::DELETE,
            &format!("/api/groups/g-001/members/{PHANTOM_MEMBER}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let pages = drain(&app, "/api/groups/g-001/members", "members", 100).await;
    assert_eq!(pages[0].0.last(), Some(&json!(PHANTOM_MEMBER)));
}

#[tokio::test]
async fn cursor_loop_hands_the_first_cursor_back_on_the_last_page() {
    let app = App::start(Config::with_users(10).fault(Fault::CursorLoop)).await;
    let mut pages = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..6 {
        let path = match &after {
            Some(after) => format!("/api/users?limit=3&after={after}"),
            None => "/api/users?limit=3".to_owned(),
        };
        let (status, page) = app.get(&path).await;
        assert_eq!(status, StatusCode::OK);
        let (ids, next) = users_page(&page);
        assert!(ids.len() <= 3);
        assert_ne!(next, after, "never the cursor it was asked with");
        pages.push(ids);
        after = next;
    }
    let expected: Vec<Vec<String>> = [1..=3, 4..=6, 7..=9, 10..=10, 4..=6, 7..=9]
        .into_iter()
        .map(|range| range.map(user_id).collect())
        .collect();
    assert_eq!(
        pages, expected,
        "every user once, then the last page leads back to the second"
    );
    let (_, last) = app.get("/api/users?limit=3&after=u-0000009").await;
    assert_eq!(users_page(&last), (vec![user_id(10)], Some(user_id(3))));
    // Pages of one loop too.
    let (_, last) = app.get("/api/users?limit=1&after=u-0000009").await;
    assert_eq!(users_page(&last), (vec![user_id(10)], Some(user_id(1))));
    // The last page is the second one: handing back the first cursor would be handing back
    // the one it was asked with, so it ends as usual.
    let small = App::start(Config::with_users(6).fault(Fault::CursorLoop)).await;
    let pages = drain(&small, "/api/users", "users", 3).await;
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn oversized_page_answers_one_more_active_user_than_asked() {
    let app = App::start(Config::with_users(20).fault(Fault::OversizedPage)).await;
    let entry =
        |n: usize| json!({"user_id": user_id(n), "last_activity": mock_app::last_activity(n)});
    let active = |body: &Value| {
        body["activity"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| !a["last_activity"].is_null())
            .count()
    };
    // All active: one entry more, the next user.
    let (status, body) = app
        .get("/api/last-activity?ids=u-0000001,u-0000002,u-0000003,u-0000004,u-0000005")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"activity": (1..=6).map(entry).collect::<Vec<_>>()})
    );
    assert_eq!(active(&body), 6);
    // User 7 was never active: the answer makes up for it, so 6 active entries for 5 ids.
    let (_, body) = app
        .get("/api/last-activity?ids=u-0000005,u-0000006,u-0000007,u-0000008,u-0000009")
        .await;
    assert_eq!(
        body,
        json!({"activity": ([5, 6, 7, 8, 9, 10, 11].map(entry))})
    );
    assert_eq!(active(&body), 6);
    // At the end of the users, it wraps around to the first ones.
    let (_, body) = app.get("/api/last-activity?ids=u-0000019,u-0000020").await;
    assert_eq!(body, json!({"activity": ([19, 20, 1].map(entry))}));
    // Errors are unchanged.
    let (status, _) = app.get("/api/last-activity?ids=u-0000404").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Listings keep to their limits.
    for path in ["/api/users", "/api/groups"] {
        let pages = drain(&app, path, &path[5..], 3).await;
        assert!(pages.iter().all(|(items, _)| items.len() <= 3));
    }
}

/// Kills the child on drop.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_takes_repeated_fault_flags() {
    let bad = Command::new(env!("CARGO_BIN_EXE_mock-app"))
        .args(["--fault", "slow"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("unknown fault `slow`: expected one of duplicate-ids"),
        "{stderr}"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_mock-app"))
        .args(["--users", "10", "--port", "0"])
        .args([
            "--fault",
            "duplicate-ids",
            "--fault",
            "dangling-association",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let lines = tokio::task::spawn_blocking(move || {
        BufReader::new(stderr)
            .lines()
            .take(3)
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    assert_eq!(
        lines[1..],
        [
            "mock-app: fault duplicate-ids is on",
            "mock-app: fault dangling-association is on"
        ]
    );
    let url = lines[0]
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap();
    let client = crate::support::http().build().unwrap();
    let get = |path: &str| {
        let request = client
            .get(format!("{url}{path}"))
            .basic_auth("foo", Some("bar"));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let page = get("/api/users?limit=2&after=u-0000002").await;
    assert_eq!(
        users_page(&page),
        (vec![user_id(2), user_id(3)], Some(user_id(3)))
    );
    let members = get("/api/groups/g-001/members?limit=1000").await;
    assert_eq!(
        members["members"].as_array().unwrap().last(),
        Some(&json!(PHANTOM_MEMBER))
    );
    drop(server);
}
