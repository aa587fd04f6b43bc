//! Groups as entitlements: listing, memberships at every page size, and idempotent
//! assignment and removal on the real server.

use std::collections::BTreeSet;

use rstest::rstest;
use serde_json::{Value, json};

use crate::slapd::{BASE_DN, GROUP_MEMBERS, GROUPS, SCRATCH, group, person, scratch, staff, team};
use crate::support::{Call, exactly_once, field, lower, user};

fn read_only_groups() -> Value {
    json!({"group_search_base": GROUPS})
}

#[rstest]
#[case::one(1)]
#[case::two(2)]
#[case::all(5)]
#[case::large(50)]
fn every_group_is_an_entitlement(#[case] size: u32) {
    let pages = Call::new("list_entitlements")
        .settings(read_only_groups())
        .pages(size);
    let ids = exactly_once(field(&pages, "integration_specific_id"));
    assert_eq!(
        lower(ids),
        lower(GROUP_MEMBERS.iter().map(|(cn, _)| group(cn)))
    );
    for entitlement in pages.iter().flatten() {
        assert_eq!(entitlement["entitlement_type"], "member");
        assert_eq!(entitlement["integration_specific_resource_id"], BASE_DN);
        assert_eq!(entitlement["is_assignable"], true);
        let label = entitlement["label"].as_str().unwrap();
        assert_eq!(
            entitlement["extra_data"]["description"],
            format!("The {label} group")
        );
    }
}

/// (account, group) pairs the seed defines, nested groups left out.
fn expected_memberships() -> BTreeSet<String> {
    let mut expected = BTreeSet::new();
    for (cn, members) in GROUP_MEMBERS {
        for member in members.iter().filter(|m| !m.starts_with('#')) {
            let account = match member.strip_prefix('@') {
                Some(n) => person(n.parse().unwrap()),
                None => staff(member),
            };
            expected.insert(format!("{} -> {}", account, group(cn)).to_lowercase());
        }
    }
    expected
}

fn memberships(pages: &[Vec<Value>]) -> Vec<String> {
    pages
        .iter()
        .flatten()
        .map(|a| {
            assert_eq!(a["integration_specific_resource_id"], BASE_DN);
            format!(
                "{} -> {}",
                a["account_id"].as_str().unwrap(),
                a["integration_specific_entitlement_id"].as_str().unwrap()
            )
            .to_lowercase()
        })
        .collect()
}

#[rstest]
#[case::one(1)]
#[case::two(2)]
#[case::three(3)]
#[case::seven(7)]
#[case::all(23)]
#[case::large(1_000)]
fn every_membership_arrives_once_at_any_page_size(#[case] size: u32) {
    let pages = Call::new("find_entitlement_associations")
        .settings(read_only_groups())
        .pages(size);
    let expected = expected_memberships();
    assert_eq!(expected.len(), 23);
    assert_eq!(
        pages.len(),
        expected.len().div_ceil(size as usize),
        "{pages:?}"
    );
    assert_eq!(exactly_once(memberships(&pages)), expected);
}

/// The members of a scratch team, read through the connector.
fn team_members(cn: &str) -> BTreeSet<String> {
    let pages = Call::new("find_entitlement_associations")
        .settings(
            json!({"group_search_base": "ou=teams,dc=example,dc=com", "user_search_base": SCRATCH}),
        )
        .pages(100);
    pages
        .iter()
        .flatten()
        .filter(|a| {
            a["integration_specific_entitlement_id"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(&team(cn))
        })
        .map(|a| a["account_id"].as_str().unwrap().to_lowercase())
        .collect()
}

fn change(capability: &'static str, account: &str, group: &str) -> Call {
    Call::new(capability).request(json!({
        "account_integration_specific_id": account,
        "resource_integration_specific_id": BASE_DN,
        "resource_type": "directory",
        "entitlement_type": "member",
        "entitlement_integration_specific_id": group,
    }))
}

#[rstest]
#[case::assign_a_new_membership("assign_entitlement", "assign-1", "team-a", false, true)]
#[case::assign_an_existing_membership("assign_entitlement", "member-of-all", "team-b", true, true)]
#[case::remove_an_existing_membership("unassign_entitlement", "unassign-1", "team-c", true, false)]
#[case::remove_a_membership_that_is_not_there(
    "unassign_entitlement",
    "assign-2",
    "team-d",
    false,
    false
)]
fn memberships_change_idempotently(
    #[case] capability: &'static str,
    #[case] uid: &str,
    #[case] cn: &str,
    #[case] before: bool,
    #[case] after: bool,
) {
    let account = scratch(&format!("uid={uid}"));
    assert_eq!(team_members(cn).contains(&account.to_lowercase()), before);
    let response = change(capability, &account, &team(cn)).ok();
    let flag = if capability == "assign_entitlement" {
        "assigned"
    } else {
        "unassigned"
    };
    assert_eq!(response, json!({ flag: true }));
    assert_eq!(team_members(cn).contains(&account.to_lowercase()), after);
    // Again: same answer, same state.
    assert_eq!(
        change(capability, &account, &team(cn)).ok(),
        json!({ flag: true })
    );
    assert_eq!(team_members(cn).contains(&account.to_lowercase()), after);
}

#[rstest]
#[case::assign_to_a_missing_group(
    "assign_entitlement",
    scratch("uid=assign-3"),
    "cn=nope,ou=teams,dc=example,dc=com",
    "member",
    "not_found"
)]
#[case::assign_a_missing_account(
    "assign_entitlement",
    scratch("uid=ghost"),
    team("team-a"),
    "member",
    "not_found"
)]
#[case::remove_from_a_missing_group(
    "unassign_entitlement",
    scratch("uid=assign-3"),
    "cn=nope,ou=teams,dc=example,dc=com",
    "member",
    "not_found"
)]
#[case::assign_to_a_user_entry(
    "assign_entitlement",
    scratch("uid=assign-3"),
    staff("bob"),
    "member",
    "not_found"
)]
#[case::an_unknown_entitlement_type(
    "assign_entitlement",
    scratch("uid=assign-3"),
    team("team-a"),
    "owner",
    "invalid_value"
)]
fn bad_memberships_fail(
    #[case] capability: &'static str,
    #[case] account: String,
    #[case] group: String,
    #[case] entitlement_type: &str,
    #[case] code: &str,
) {
    let mut call = change(capability, &account, &group);
    call.request["entitlement_type"] = json!(entitlement_type);
    call.error(code);
}

#[test]
fn users_cannot_change_memberships() {
    let error = change(
        "assign_entitlement",
        &scratch("uid=assign-3"),
        &team("team-b"),
    )
    .auth(user(&staff("alice")))
    .error("permission_denied");
    assert_eq!(error["app_error_code"], "ldap:50");
}

/// Protocol 4's entitlement graph: every group a node, the nested group an implication (a
/// member of `engineers` holds `nested`), accounts never nodes.
#[test]
fn the_entitlement_graph_has_every_group_and_the_nesting() {
    let graph = Call::new("find_entitlement_graph")
        .protocol4()
        .settings(read_only_groups())
        .ok();
    let nodes = exactly_once(
        graph["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|node| node["id"].as_str().expect("an id").to_owned())
            .collect(),
    );
    assert_eq!(
        lower(nodes),
        lower(GROUP_MEMBERS.iter().map(|(cn, _)| group(cn)))
    );
    let edges: Vec<(String, Vec<String>)> = graph["entitlement_implications"]
        .as_array()
        .expect("implications")
        .iter()
        .map(|edge| {
            let id = |e: &Value| e["entitlement_id"].as_str().unwrap().to_lowercase();
            (
                id(&edge["from_entitlement"]),
                edge["to_entitlements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(id)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        edges,
        vec![(
            group("engineers").to_lowercase(),
            vec![group("nested").to_lowercase()]
        )]
    );
}

/// With `transitive_memberships`, the members of `engineers` are members of `nested` too
/// (once each: alice is in both directly and through engineers), at any page size; an
/// account's groups include the ones it holds through nesting.
#[rstest]
#[case::one(1)]
#[case::five(5)]
#[case::large(1_000)]
fn transitive_memberships_follow_nested_groups(#[case] size: u32) {
    let transitive = json!({"group_search_base": GROUPS, "transitive_memberships": true});
    let pages = Call::new("find_entitlement_associations")
        .settings(transitive.clone())
        .pages(size);
    let mut expected = expected_memberships();
    for uid in ["bob", "carol"] {
        expected.insert(format!("{} -> {}", staff(uid), group("nested")).to_lowercase());
    }
    assert_eq!(exactly_once(memberships(&pages)), expected);
    let bob = Call::new("get_account_entitlement_associations")
        .protocol4()
        .settings(transitive)
        .request(json!({"account_id": staff("bob")}))
        .pages(size);
    assert_eq!(
        lower(field(&bob, "integration_specific_entitlement_id")),
        lower(["engineers", "everyone", "nested"].map(group))
    );
}
