//! Non-human identities: service accounts owned by users, and credentials (API keys) that
//! open either a user's account or a service account.
//!
//! Generated state is a pure function of numbers: see [`service_account_count`],
//! [`service_account_owner`] and [`has_personal_key`]. Rules: every credential opens an
//! account that exists (deleting a user deletes their personal keys); a service account's
//! owner is a user that exists, or nobody once that user is deleted.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Serialize;

use crate::AppState;
use crate::api::{Paging, Reply, page_json, paging};
use crate::data::{ACTIVITY_EPOCH, ACTIVITY_SPAN, keyed_page, user_id};
use crate::time::iso8601;

const PURPOSES: &[&str] = &["ci", "backup", "etl", "monitoring", "deploy"];

/// How many service accounts a data set of `users` users has: one per ten users, rounded up.
pub fn service_account_count(users: usize) -> usize {
    users.div_ceil(10)
}

/// The id of the k-th service account (from 1): `sa-0001`.
pub fn service_account_id(k: usize) -> String {
    format!("sa-{k:04}")
}

/// The number of the user who owns service account `k` among `users` users.
pub fn service_account_owner(k: usize, users: usize) -> usize {
    (k * 7 - 1) % users + 1
}

/// Whether generated user `n` has a personal API key (every fifth user).
pub fn has_personal_key(n: usize) -> bool {
    n.is_multiple_of(5)
}

/// A service account.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct ServiceAccount {
    id: String,
    name: String,
    /// The user responsible for it, if they still exist.
    owner_id: Option<String>,
    /// `active` or `disabled`.
    status: &'static str,
    created_at: String,
    updated_at: String,
    last_activity: Option<String>,
}

/// An API key.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Credential {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    /// `active`, `expired` or `revoked`.
    status: &'static str,
    /// The user account it opens…
    user_id: Option<String>,
    /// …or the service account.
    service_account_id: Option<String>,
    created_at: String,
    last_used_at: Option<String>,
    expires_at: Option<String>,
}

/// Service accounts and credentials.
#[derive(Debug)]
pub(crate) struct Nhi {
    accounts: BTreeMap<String, ServiceAccount>,
    credentials: BTreeMap<String, Credential>,
}

impl Nhi {
    /// The service accounts and keys of `users` generated users.
    pub(crate) fn generate(users: usize) -> Self {
        let day = 86_400;
        let mut accounts = BTreeMap::new();
        let mut credentials = BTreeMap::new();
        for k in 1..=service_account_count(users) {
            let id = service_account_id(k);
            let created = ACTIVITY_EPOCH - ACTIVITY_SPAN + (k as u64 * 3 * day) % ACTIVITY_SPAN;
            let active = !k.is_multiple_of(5);
            let last =
                (!k.is_multiple_of(4)).then(|| ACTIVITY_EPOCH - (k as u64 * 3_613) % (30 * day));
            accounts.insert(
                id.clone(),
                ServiceAccount {
                    id: id.clone(),
                    name: format!("svc-{}-{k}", PURPOSES[k % PURPOSES.len()]),
                    owner_id: Some(user_id(service_account_owner(k, users))),
                    status: if active { "active" } else { "disabled" },
                    created_at: iso8601(created),
                    updated_at: iso8601(created + day),
                    last_activity: last.map(iso8601),
                },
            );
            let key = format!("key-{id}");
            credentials.insert(
                key.clone(),
                Credential {
                    id: key,
                    name: format!("{} key", PURPOSES[k % PURPOSES.len()]),
                    kind: "api_key",
                    status: if active { "active" } else { "revoked" },
                    user_id: None,
                    service_account_id: Some(id),
                    created_at: iso8601(created),
                    last_used_at: last.map(iso8601),
                    expires_at: None,
                },
            );
        }
        for n in (1..=users).filter(|&n| has_personal_key(n)) {
            let key = format!("key-{}", user_id(n));
            let created = ACTIVITY_EPOCH - (n as u64 * 7_919) % ACTIVITY_SPAN - 30 * day;
            let expires = created + 180 * day;
            let used = crate::data::last_activity_secs(n);
            credentials.insert(
                key.clone(),
                Credential {
                    id: key,
                    name: format!("personal key of {}", user_id(n)),
                    kind: "api_key",
                    status: if expires < ACTIVITY_EPOCH {
                        "expired"
                    } else {
                        "active"
                    },
                    user_id: Some(user_id(n)),
                    service_account_id: None,
                    created_at: iso8601(created),
                    last_used_at: used.map(iso8601),
                    expires_at: Some(iso8601(expires)),
                },
            );
        }
        Self {
            accounts,
            credentials,
        }
    }

    /// Drops a deleted user's keys; the service accounts they owned lose their owner.
    pub(crate) fn forget(&mut self, user: &str) {
        self.credentials
            .retain(|_, c| c.user_id.as_deref() != Some(user));
        for account in self.accounts.values_mut() {
            if account.owner_id.as_deref() == Some(user) {
                account.owner_id = None;
            }
        }
    }

    /// The credentials that open no existing account, and the service accounts whose owner
    /// does not exist (`exists` says which users do): none, by the rules above.
    #[cfg(test)]
    pub(crate) fn dangling(&self, exists: impl Fn(&str) -> bool) -> Vec<String> {
        self.credentials
            .values()
            .filter(|c| match (&c.user_id, &c.service_account_id) {
                (Some(user), None) => !exists(user),
                (None, Some(account)) => !self.accounts.contains_key(account),
                _ => true,
            })
            .map(|c| c.id.clone())
            .chain(
                self.accounts
                    .values()
                    .filter(|a| a.owner_id.as_deref().is_some_and(|o| !exists(o)))
                    .map(|a| a.id.clone()),
            )
            .collect()
    }
}

/// `GET /api/service-accounts?limit&after` → `{"service_accounts": [{"id", "name",
/// "owner_id", "status", "created_at", "updated_at", "last_activity"}], "next"}`.
pub(crate) async fn list_service_accounts(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let data = state.data();
    let page = keyed_page(
        data.nhi
            .accounts
            .iter()
            .map(|(id, a)| (id.clone(), a.clone())),
        after.as_deref(),
        limit,
    );
    drop(data);
    Ok(page_json("service_accounts", page))
}

/// `GET /api/credentials?limit&after` → `{"credentials": [{"id", "name", "type", "status",
/// "user_id", "service_account_id", "created_at", "last_used_at", "expires_at"}], "next"}`.
pub(crate) async fn list_credentials(
    State(state): State<Arc<AppState>>,
    query: Result<Query<Paging>, QueryRejection>,
) -> Reply {
    let (limit, after) = paging(&state, query)?;
    let data = state.data();
    let page = keyed_page(
        data.nhi
            .credentials
            .iter()
            .map(|(id, c)| (id.clone(), c.clone())),
        after.as_deref(),
        limit,
    );
    drop(data);
    Ok(page_json("credentials", page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_credential_opens_an_existing_account() {
        let users = 30;
        let mut nhi = Nhi::generate(users);
        assert_eq!(nhi.accounts.len(), service_account_count(users));
        assert_eq!(
            nhi.credentials.len(),
            service_account_count(users) + users / 5
        );
        let mut existing: Vec<String> = (1..=users).map(user_id).collect();
        assert!(nhi.dangling(|u| existing.iter().any(|e| e == u)).is_empty());
        let owner = user_id(service_account_owner(1, users));
        nhi.forget(&owner);
        nhi.forget(&user_id(5));
        existing.retain(|u| *u != owner && *u != user_id(5));
        assert!(nhi.dangling(|u| existing.iter().any(|e| e == u)).is_empty());
        assert!(!nhi.credentials.contains_key("key-u-0000005"));
        assert_eq!(nhi.accounts["sa-0001"].owner_id, None);
    }
}
