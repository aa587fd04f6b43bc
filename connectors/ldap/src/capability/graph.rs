//! Protocol 4's `find_entitlement_graph`: every group as an entitlement, and a group nested in
//! another as an implication (a member of the inner group holds the outer one too).
//!
//! The nesting comes from the groups' member values (`group_member_attribute`) and, where the
//! directory keeps it, their `memberOf` back-links (AD always; OpenLDAP with the memberof
//! overlay): a value that names another group of the listing is an edge, any other value is
//! an account and left out. On AD the back-link keeps the graph whole where a group's own
//! `member` list is longer than the server returns at once (MaxValRange). Cycles (legal in LDAP, and made by mistake in AD)
//! are edges like any other: the graph states them, a reader that expands it must guard.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use connector_sdk::capability::FindEntitlementGraph;
use connector_sdk::{ConnectorError, Context, wire};
use ldap3::SearchEntry;

use super::{GROUP_MEMBER, LdapConnector, groups};
use crate::directory::{Directory, first, values};
use crate::dn;
use crate::paging::Start;
use crate::settings::LdapSettings;

/// Groups (with their member lists) one search fetches.
const BATCH: u32 = 500;

/// One group as the graph needs it.
struct Group {
    id: String,
    label: String,
    description: Option<String>,
    members: Vec<String>,
    /// The groups it is a member of, where the directory says so.
    member_of: Vec<String>,
}

impl FindEntitlementGraph for LdapConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "Every group as an entitlement; a group that is a member of another implies it \
         (nested groups, cycles included as they are).",
    );

    async fn find_entitlement_graph(
        &self,
        ctx: &Context<LdapSettings>,
        _request: wire::FindEntitlementGraph,
    ) -> Result<wire::EntitlementGraph, ConnectorError> {
        let settings = ctx.settings();
        let mut directory = Directory::connect(ctx).await?;
        let found = all_groups(&mut directory, settings).await;
        directory.close().await;
        Ok(graph(settings, found?))
    }
}

/// Every group of the listing, by normalized DN, paging by the page key until the server
/// says there are no more (each page must move the key on).
async fn all_groups(
    directory: &mut Directory,
    settings: &LdapSettings,
) -> Result<BTreeMap<String, Group>, ConnectorError> {
    let listing = groups(settings);
    let member_attribute = settings.group_member_attribute.clone();
    let mut attributes = vec![
        "cn".to_owned(),
        "description".to_owned(),
        "memberOf".to_owned(),
        member_attribute,
    ];
    if settings.is_active_directory() {
        attributes.push("objectGUID".to_owned());
    }
    let mut found = BTreeMap::new();
    let mut after: Option<String> = None;
    loop {
        let page = listing
            .page(
                directory,
                &Start::after(after.clone()),
                BATCH,
                attributes.clone(),
            )
            .await?;
        for entry in &page.entries {
            found.insert(dn::normalize(&entry.dn), group(settings, entry));
        }
        let last = match page.entries.last() {
            Some(last) => Some(listing.key_of(last)?.to_owned()),
            None => None,
        };
        if !page.more {
            return Ok(found);
        }
        if last.is_none() || last == after {
            return Err(ConnectorError::api_error(
                "The LDAP server's size limit is too low to page through groups: raise it for \
                 the bind DN",
            ));
        }
        after = last;
    }
}

fn group(settings: &LdapSettings, entry: &SearchEntry) -> Group {
    Group {
        id: super::id_of(settings, entry),
        label: first(entry, "cn")
            .unwrap_or_else(|| dn::first_value(&entry.dn))
            .to_owned(),
        description: first(entry, "description").map(str::to_owned),
        members: values(entry, &settings.group_member_attribute).to_vec(),
        member_of: values(entry, "memberOf").to_vec(),
    }
}

/// The graph of `groups`: nodes in DN order, one implication per nested group naming the
/// groups it is directly a member of.
fn graph(settings: &LdapSettings, groups: BTreeMap<String, Group>) -> wire::EntitlementGraph {
    let resource = settings.base_dn.trim().to_owned();
    let ids: HashMap<&str, &str> = groups
        .iter()
        .map(|(key, group)| (key.as_str(), group.id.as_str()))
        .collect();
    // inner group id -> the ids of the groups it is a member of
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for group in groups.values() {
        for member in &group.members {
            if let Some(inner) = ids.get(dn::normalize(member).as_str()) {
                parents.entry(inner).or_default().insert(group.id.as_str());
            }
        }
        for parent in &group.member_of {
            if let Some(outer) = ids.get(dn::normalize(parent).as_str()) {
                parents.entry(group.id.as_str()).or_default().insert(outer);
            }
        }
    }
    let identifier = |id: &str| wire::AccessGraphEntitlementIdentifier {
        entitlement_id: id.to_owned(),
        resource_id: resource.clone(),
    };
    let entitlement_implications = parents
        .iter()
        .map(|(inner, outers)| wire::AccessGraphImpliedAccess {
            from_entitlement: identifier(inner),
            to_entitlements: outers.iter().map(|outer| identifier(outer)).collect(),
        })
        .collect();
    let nodes = groups
        .values()
        .map(|group| wire::AccessGraphEntitlement {
            id: group.id.clone(),
            entitlement_type: GROUP_MEMBER.to_owned(),
            resource_id: resource.clone(),
            is_assignable: Some(true),
            denies_access: false,
            label: group.label.clone(),
            description: group.description.clone(),
        })
        .collect();
    wire::EntitlementGraph {
        nodes,
        entitlement_implications,
        custom_attributes: Vec::new(),
        access_graph_entitlement_rules: Vec::new(),
        access_graph_implied_access_rules: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: &str, members: &[&str]) -> (String, Group) {
        (
            dn::normalize(id),
            Group {
                id: id.to_owned(),
                label: dn::first_value(id).to_owned(),
                description: None,
                members: members.iter().map(|m| (*m).to_owned()).collect(),
                member_of: Vec::new(),
            },
        )
    }

    #[test]
    fn nested_groups_are_implications_and_accounts_are_not() {
        let settings = LdapSettings::new("ldap://x", "dc=x");
        let groups = BTreeMap::from([
            group(
                "cn=all,ou=g,dc=x",
                &["CN=Eng, OU=g,DC=x", "uid=a,ou=p,dc=x"],
            ),
            group("cn=eng,ou=g,dc=x", &["cn=ops,ou=g,dc=x", "uid=b,ou=p,dc=x"]),
            // A cycle: ops is in eng, eng in all, and all in ops.
            group("cn=ops,ou=g,dc=x", &["cn=all,ou=g,dc=x"]),
            group(
                "cn=solo,ou=g,dc=x",
                &["uid=a,ou=p,dc=x", "cn=elsewhere,dc=y"],
            ),
        ]);
        let mut groups = groups;
        // A back-link says what a cut member list would not: solo is in all.
        groups
            .get_mut("cn=solo,ou=g,dc=x")
            .unwrap()
            .member_of
            .push("CN=All,OU=g,DC=x".to_owned());
        let graph = graph(&settings, groups);
        assert_eq!(graph.nodes.len(), 4);
        let edges: Vec<(String, Vec<String>)> = graph
            .entitlement_implications
            .iter()
            .map(|edge| {
                (
                    edge.from_entitlement.entitlement_id.clone(),
                    edge.to_entitlements
                        .iter()
                        .map(|to| to.entitlement_id.clone())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            edges,
            vec![
                (
                    "cn=all,ou=g,dc=x".to_owned(),
                    vec!["cn=ops,ou=g,dc=x".to_owned()]
                ),
                (
                    "cn=eng,ou=g,dc=x".to_owned(),
                    vec!["cn=all,ou=g,dc=x".to_owned()]
                ),
                (
                    "cn=ops,ou=g,dc=x".to_owned(),
                    vec!["cn=eng,ou=g,dc=x".to_owned()]
                ),
                (
                    "cn=solo,ou=g,dc=x".to_owned(),
                    vec!["cn=all,ou=g,dc=x".to_owned()]
                ),
            ]
        );
        assert!(graph.nodes.iter().all(|n| n.resource_id == "dc=x"));
    }
}
