//! The app's data: generated users, groups, the admin role, memberships, last activity and
//! custom attributes, and the rules that change them; applications ([`crate::apps`]),
//! non-human accounts and credentials ([`crate::nhi`]) and expenses ([`crate::spend`]) hang
//! off it.
//!
//! Everything generated is a pure function of the user's or group's number, so tests can
//! compute what a fresh app holds without asking it ([`groups_of`], [`is_admin`], …).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::time::{iso8601, now};

/// The id of the only role the app has.
pub const ADMIN_ROLE: &str = "admin";

/// The departments generated users work in (`department` custom attribute).
pub const DEPARTMENTS: &[&str] = &["Engineering", "Sales", "Support", "Finance", "Marketing"];

pub(crate) const GROUP_NAMES: &[&str] = &[
    "Admins",
    "Engineering",
    "Sales",
    "Support",
    "Finance",
    "Marketing",
    "Design",
    "Legal",
];

/// 2025-01-01T00:00:00Z: generated activity happened in the 180 days before.
pub(crate) const ACTIVITY_EPOCH: u64 = 1_735_689_600;
pub(crate) const ACTIVITY_SPAN: u64 = 180 * 86_400;

/// The id of the n-th generated user (ids order like numbers: `u-0000001`).
pub fn user_id(n: usize) -> String {
    format!("u-{n:07}")
}

/// The id of the n-th generated group: `g-001`.
pub fn group_id(n: usize) -> String {
    format!("g-{n:03}")
}

/// The name of the n-th generated group.
pub fn group_name(n: usize) -> String {
    let base = GROUP_NAMES[(n - 1) % GROUP_NAMES.len()];
    match (n - 1) / GROUP_NAMES.len() {
        0 => base.to_owned(),
        round => format!("{base} {}", round + 1),
    }
}

/// The numbers of the groups generated user `n` belongs to, ascending, in a data set of
/// `groups` groups: every user is in one group, every third user in a second one.
pub fn groups_of(n: usize, groups: usize) -> Vec<usize> {
    if groups == 0 {
        return Vec::new();
    }
    let first = (n - 1) % groups + 1;
    let mut out = vec![first];
    if n.is_multiple_of(3) {
        let second = (n / 3) % groups + 1;
        if second != first {
            out.push(second);
        }
    }
    out.sort_unstable();
    out
}

/// Whether generated user `n` starts with the admin role (users 1, 101, 201, …).
pub fn is_admin(n: usize) -> bool {
    n % 100 == 1
}

/// When generated user `n` was last active, as an ISO 8601 timestamp; every seventh user
/// never was.
pub fn last_activity(n: usize) -> Option<String> {
    last_activity_secs(n).map(iso8601)
}

pub(crate) fn last_activity_secs(n: usize) -> Option<u64> {
    (!n.is_multiple_of(7)).then(|| ACTIVITY_EPOCH - (n as u64 * 7_919) % ACTIVITY_SPAN)
}

/// License tiers, dearest first: `downgrade_license` moves a user one step down.
pub const LICENSES: &[&str] = &["enterprise", "pro", "free"];

/// Generated user `n`'s license: admins have `enterprise`, even users `pro`, odd ones `free`.
pub fn license(n: usize) -> &'static str {
    if is_admin(n) {
        LICENSES[0]
    } else if n.is_multiple_of(2) {
        LICENSES[1]
    } else {
        LICENSES[2]
    }
}

/// When generated user `n` last changed, as seconds since the epoch: in the year before
/// 2025-01-01, so anything changed in a running app is later.
pub fn modified_at(n: usize) -> u64 {
    ACTIVITY_EPOCH - 1 - (n as u64 * 104_729) % (365 * 86_400)
}

/// Generated user `n`'s department.
pub fn department(n: usize) -> &'static str {
    DEPARTMENTS[n % DEPARTMENTS.len()]
}

/// Generated user `n`'s manager: user 1 has none, users 2–11 report to user 1, 12–21 to
/// user 2, and so on.
pub fn manager(n: usize) -> Option<String> {
    (n > 1).then(|| user_id((n - 2) / 10 + 1))
}

/// A user of the app.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct User {
    /// Stable id, ordered: `u-0000001`.
    pub id: String,
    /// Email address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Login.
    pub username: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Custom attribute `department`.
    pub department: Option<String>,
    /// Custom attribute `manager`: another user's id.
    pub manager: Option<String>,
    /// License tier: one of [`LICENSES`], or `none` once released.
    pub license: String,
    /// The user whose account received this user's data (`transfer_data`), if any.
    pub data_owner: Option<String>,
    /// When the user last changed (ISO 8601).
    pub updated_at: String,
}

/// A group of users.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Group {
    /// Stable id, ordered: `g-001`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the group is for.
    pub description: String,
}

/// A role users can hold on the app itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Role {
    /// Stable id: `admin`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the role allows.
    pub description: String,
}

/// One group membership.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Membership {
    /// The group.
    pub group_id: String,
    /// The member.
    pub user_id: String,
}

/// What a user of the API gets wrong: a status and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    fn no_user(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("no user {id}"))
    }

    fn no_group(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("no group {id}"))
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    fn no_role(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("no role {id}"))
    }
}

/// A page of a listing: its items and the cursor of the next page.
#[derive(Debug)]
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) next: Option<String>,
}

/// Up to `limit` items, and whether more follow.
fn window<T>(items: impl Iterator<Item = T>, limit: usize) -> (Vec<T>, bool) {
    let mut items: Vec<T> = items.take(limit + 1).collect();
    let more = items.len() > limit;
    items.truncate(limit);
    (items, more)
}

/// The keys strictly after `after` (all keys without it).
fn after(after: Option<&str>) -> (Bound<&str>, Bound<&str>) {
    match after {
        Some(after) => (Bound::Excluded(after), Bound::Unbounded),
        None => (Bound::Unbounded, Bound::Unbounded),
    }
}

/// Pages over ids: the next cursor is the last id of the page.
fn id_page<'a, T: Clone + 'a>(
    items: impl Iterator<Item = (&'a String, T)>,
    limit: usize,
) -> Page<T> {
    let (items, more) = window(items, limit);
    let next = if more {
        items.last().map(|(id, _)| (*id).clone())
    } else {
        None
    };
    Page {
        items: items.into_iter().map(|(_, item)| item).collect(),
        next,
    }
}

/// Pages over items in ascending key order: the ones after the key `after`, up to `limit`;
/// the next cursor is the last key of the page.
pub(crate) fn keyed_page<T>(
    items: impl Iterator<Item = (String, T)>,
    after: Option<&str>,
    limit: usize,
) -> Page<T> {
    let rest = items.filter(|(key, _)| after.is_none_or(|after| key.as_str() > after));
    let (items, more) = window(rest, limit);
    let next = if more {
        items.last().map(|(key, _)| key.clone())
    } else {
        None
    };
    Page {
        items: items.into_iter().map(|(_, item)| item).collect(),
        next,
    }
}

/// The separator of a membership cursor `<group id>:<user id>`.
const CURSOR_SEPARATOR: char = ':';

/// A new user, as `POST /api/users` receives it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct NewUser {
    email: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    manager: Option<String>,
}

/// The changes `PATCH /api/users/{id}` accepts; any other field is a bad request.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UserPatch {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    manager: Option<String>,
}

/// Whether a membership changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) changed: bool,
}

/// The app's whole mutable state.
#[derive(Debug)]
pub(crate) struct Data {
    users: BTreeMap<String, User>,
    /// Seconds since the epoch of each user's last activity (absent: never active).
    activity: BTreeMap<String, u64>,
    next_user: usize,
    groups: BTreeMap<String, Group>,
    /// Group id → member ids.
    members: BTreeMap<String, BTreeSet<String>>,
    roles: BTreeMap<String, Role>,
    /// Role id → member ids.
    role_members: BTreeMap<String, BTreeSet<String>>,
    /// Seconds since the epoch of each user's last change.
    modified: BTreeMap<String, u64>,
    /// When a group membership last changed.
    pub(crate) groups_changed: u64,
    /// Applications, their assignments and grants.
    pub(crate) apps: crate::apps::Apps,
    /// Service accounts and credentials.
    pub(crate) nhi: crate::nhi::Nhi,
    /// Expenses.
    pub(crate) spend: crate::spend::Spend,
}

impl Data {
    /// A fresh data set of `users` users and `groups` groups.
    pub(crate) fn generate(users: usize, groups: usize) -> Self {
        const FIRST: &[&str] = &["Ann", "Bob", "Cleo", "Dev", "Eve", "Finn", "Gus", "Hana"];
        const LAST: &[&str] = &["Lee", "Ng", "Okafor", "Patel", "Quinn", "Rossi", "Silva"];
        let mut data = Self {
            users: BTreeMap::new(),
            activity: BTreeMap::new(),
            next_user: users + 1,
            groups: (1..=groups)
                .map(|g| {
                    let group = Group {
                        id: group_id(g),
                        name: group_name(g),
                        description: format!("Members of {}", group_name(g)),
                    };
                    (group.id.clone(), group)
                })
                .collect(),
            members: (1..=groups)
                .map(|g| (group_id(g), BTreeSet::new()))
                .collect(),
            roles: BTreeMap::from([(
                ADMIN_ROLE.to_owned(),
                Role {
                    id: ADMIN_ROLE.to_owned(),
                    name: "Administrator".to_owned(),
                    description: "Manages the app and its users".to_owned(),
                },
            )]),
            role_members: BTreeMap::from([(ADMIN_ROLE.to_owned(), BTreeSet::new())]),
            modified: BTreeMap::new(),
            groups_changed: ACTIVITY_EPOCH,
            apps: crate::apps::Apps::generate(users),
            nhi: crate::nhi::Nhi::generate(users),
            spend: crate::spend::Spend::generate(users),
        };
        for n in 1..=users {
            let first = FIRST[n % FIRST.len()];
            let last = LAST[n % LAST.len()];
            let username = format!("{}.{}{n}", first.to_lowercase(), last.to_lowercase());
            let id = user_id(n);
            for g in groups_of(n, groups) {
                if let Some(members) = data.members.get_mut(&group_id(g)) {
                    members.insert(id.clone());
                }
            }
            if is_admin(n)
                && let Some(admins) = data.role_members.get_mut(ADMIN_ROLE)
            {
                admins.insert(id.clone());
            }
            if let Some(secs) = last_activity_secs(n) {
                data.activity.insert(id.clone(), secs);
            }
            let user = User {
                id: id.clone(),
                email: format!("{username}@example.com"),
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                username,
                status: if n.is_multiple_of(10) {
                    "suspended"
                } else {
                    "active"
                }
                .to_owned(),
                department: Some(department(n).to_owned()),
                manager: manager(n),
                license: license(n).to_owned(),
                data_owner: None,
                updated_at: iso8601(modified_at(n)),
            };
            data.modified.insert(id.clone(), modified_at(n));
            data.users.insert(id, user);
        }
        data
    }

    pub(crate) fn users(&self, after_id: Option<&str>, limit: usize) -> Page<User> {
        id_page(
            self.users
                .range::<str, _>(after(after_id))
                .map(|(id, u)| (id, u.clone())),
            limit,
        )
    }

    /// The users page after `after_id` that starts with that user again: it, then up to
    /// `limit - 1` users after it ([`Fault::DuplicateIds`](crate::Fault::DuplicateIds)).
    /// `None` (page normally) when `limit` is below 2 or `after_id` is not a user: such a page
    /// could not move on without growing or dropping a user.
    pub(crate) fn users_overlapping(&self, after_id: &str, limit: usize) -> Option<Page<User>> {
        let again = self.users.get(after_id).filter(|_| limit >= 2)?.clone();
        let rest = self.users(Some(after_id), limit - 1);
        let mut items = Vec::with_capacity(limit);
        items.push(again);
        items.extend(rest.items);
        Some(Page {
            items,
            next: rest.next,
        })
    }

    /// How many users have an id up to `id` (included): the position of user `id`, from 1.
    pub(crate) fn user_position(&self, id: &str) -> usize {
        self.users
            .range::<str, _>((Bound::Unbounded, Bound::Included(id)))
            .count()
    }

    /// The id of the user at `position` (from 1), in id order.
    pub(crate) fn user_at(&self, position: usize) -> Option<&str> {
        let index = position.checked_sub(1)?;
        self.users.keys().nth(index).map(String::as_str)
    }

    /// Up to `count` users who were active, not among `skip`, with their last activity: the
    /// users after `after_id` in id order, then (wrapping around) the ones up to it.
    pub(crate) fn other_active_users(
        &self,
        after_id: &str,
        skip: &[&str],
        count: usize,
    ) -> Vec<(String, String)> {
        let later = self.activity.range::<str, _>(after(Some(after_id)));
        let earlier = self
            .activity
            .range::<str, _>((Bound::Unbounded, Bound::Included(after_id)));
        later
            .chain(earlier)
            .filter(|(id, _)| !skip.contains(&id.as_str()))
            .take(count)
            .map(|(id, &secs)| (id.clone(), iso8601(secs)))
            .collect()
    }

    pub(crate) fn user(&self, id: &str) -> Result<&User, ApiError> {
        self.users.get(id).ok_or_else(|| ApiError::no_user(id))
    }

    /// The users changed after `since` (seconds since the epoch), paged by id.
    pub(crate) fn users_since(
        &self,
        since: u64,
        after_id: Option<&str>,
        limit: usize,
    ) -> Page<User> {
        id_page(
            self.users
                .range::<str, _>(after(after_id))
                .filter(|(id, _)| self.modified.get(id.as_str()).is_some_and(|&at| at > since))
                .map(|(id, u)| (id, u.clone())),
            limit,
        )
    }

    /// When the latest change to any user happened.
    pub(crate) fn users_changed(&self) -> Option<u64> {
        self.modified.values().max().copied()
    }

    /// A user to change; [`Data::touch`] it afterwards if it changed.
    pub(crate) fn user_mut(&mut self, id: &str) -> Result<&mut User, ApiError> {
        self.users.get_mut(id).ok_or_else(|| ApiError::no_user(id))
    }

    /// Records that user `id` changed now.
    pub(crate) fn touch(&mut self, id: &str) {
        let at = now();
        if let Some(user) = self.users.get_mut(id) {
            user.updated_at = iso8601(at);
            self.modified.insert(id.to_owned(), at);
        }
    }

    /// When user `id` was last active (seconds since the epoch).
    pub(crate) fn activity_secs(&self, id: &str) -> Option<u64> {
        self.activity.get(id).copied()
    }

    /// Every user id with its last activity (seconds since the epoch), in id order from the
    /// first id at or after `from`.
    pub(crate) fn activity_from<'a>(
        &'a self,
        from: Option<&'a str>,
    ) -> impl Iterator<Item = (&'a String, u64)> + 'a {
        let start = from.map_or(Bound::Unbounded, Bound::Included);
        self.activity
            .range::<str, _>((start, Bound::Unbounded))
            .map(|(id, &at)| (id, at))
    }

    /// Changes a user's attributes; returns the user and the names of the attributes whose
    /// value changed (none: nothing changed, and the modification time stays).
    pub(crate) fn update_user(
        &mut self,
        id: &str,
        patch: UserPatch,
    ) -> Result<(User, Vec<&'static str>), ApiError> {
        self.user(id)?;
        if let Some(email) = &patch.email {
            check_email(email)?;
            if self
                .users
                .values()
                .any(|u| u.id != id && u.email.eq_ignore_ascii_case(email.trim()))
            {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("a user with email {} already exists", email.trim()),
                ));
            }
        }
        if let Some(username) = &patch.username {
            if username.trim().is_empty() {
                return Err(ApiError::bad_request("username must not be empty"));
            }
            if self
                .users
                .values()
                .any(|u| u.id != id && u.username == username.trim())
            {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("a user with username {} already exists", username.trim()),
                ));
            }
        }
        if let Some(status) = &patch.status
            && status != "active"
            && status != "suspended"
        {
            return Err(ApiError::bad_request(format!(
                "status {status:?} is not one of \"active\", \"suspended\""
            )));
        }
        if let Some(manager) = &patch.manager
            && (manager == id || !self.users.contains_key(manager))
        {
            return Err(ApiError::bad_request(format!(
                "manager {manager} is not another user"
            )));
        }
        let user = self.user_mut(id)?;
        let mut changed = Vec::new();
        let mut set = |name: &'static str, field: &mut String, value: Option<String>| {
            if let Some(value) = value.map(|v| v.trim().to_owned())
                && *field != value
            {
                *field = value;
                changed.push(name);
            }
        };
        set("email", &mut user.email, patch.email);
        set("username", &mut user.username, patch.username);
        set("first_name", &mut user.first_name, patch.first_name);
        set("last_name", &mut user.last_name, patch.last_name);
        set("status", &mut user.status, patch.status);
        for (name, field, value) in [
            ("department", &mut user.department, patch.department),
            ("manager", &mut user.manager, patch.manager),
        ] {
            if value.is_some() && *field != value {
                *field = value;
                changed.push(name);
            }
        }
        if !changed.is_empty() {
            self.touch(id);
        }
        Ok((self.user(id)?.clone(), changed))
    }

    pub(crate) fn create_user(&mut self, new: NewUser) -> Result<User, ApiError> {
        let email = new.email.trim().to_owned();
        let local = check_email(&email)?;
        let username = new.username.map(|u| u.trim().to_owned()).unwrap_or(local);
        if username.is_empty() {
            return Err(ApiError::bad_request("username must not be empty"));
        }
        let status = new.status.unwrap_or_else(|| "active".to_owned());
        if status != "active" && status != "suspended" {
            return Err(ApiError::bad_request(format!(
                "status {status:?} is not one of \"active\", \"suspended\""
            )));
        }
        if let Some(manager) = &new.manager
            && !self.users.contains_key(manager)
        {
            return Err(ApiError::bad_request(format!(
                "manager {manager} is not a user"
            )));
        }
        for user in self.users.values() {
            if user.email.eq_ignore_ascii_case(&email) {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("a user with email {email} already exists"),
                ));
            }
            if user.username == username {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("a user with username {username} already exists"),
                ));
            }
        }
        let user = User {
            id: user_id(self.next_user),
            email,
            first_name: new.first_name.unwrap_or_default(),
            last_name: new.last_name.unwrap_or_default(),
            username,
            status,
            department: new.department,
            manager: new.manager,
            license: LICENSES[1].to_owned(),
            data_owner: None,
            updated_at: iso8601(now()),
        };
        self.next_user += 1;
        self.users.insert(user.id.clone(), user.clone());
        self.touch(&user.id);
        Ok(user)
    }

    /// Deletes a user with its memberships and role assignments.
    pub(crate) fn delete_user(&mut self, id: &str) -> Result<(), ApiError> {
        self.users.remove(id).ok_or_else(|| ApiError::no_user(id))?;
        self.activity.remove(id);
        self.modified.remove(id);
        self.apps.forget(id);
        self.nhi.forget(id);
        self.spend.forget(id);
        for user in self.users.values_mut() {
            if user.data_owner.as_deref() == Some(id) {
                user.data_owner = None;
            }
        }
        for members in self
            .members
            .values_mut()
            .chain(self.role_members.values_mut())
        {
            members.remove(id);
        }
        Ok(())
    }

    pub(crate) fn set_status(&mut self, id: &str, status: &str) -> Result<User, ApiError> {
        let user = self
            .users
            .get_mut(id)
            .ok_or_else(|| ApiError::no_user(id))?;
        if user.status != status {
            status.clone_into(&mut user.status);
            self.touch(id);
        }
        self.user(id).cloned()
    }

    /// Each user's last activity, in the order asked; an unknown id is a 404.
    pub(crate) fn last_activity(&self, ids: &[&str]) -> Result<Vec<Option<String>>, ApiError> {
        ids.iter()
            .map(|id| {
                self.user(id)?;
                Ok(self.activity.get(*id).copied().map(iso8601))
            })
            .collect()
    }

    pub(crate) fn groups(&self, after_id: Option<&str>, limit: usize) -> Page<Group> {
        id_page(
            self.groups
                .range::<str, _>(after(after_id))
                .map(|(id, g)| (id, g.clone())),
            limit,
        )
    }

    pub(crate) fn roles(&self, after_id: Option<&str>, limit: usize) -> Page<Role> {
        id_page(
            self.roles
                .range::<str, _>(after(after_id))
                .map(|(id, r)| (id, r.clone())),
            limit,
        )
    }

    /// The first group's id, if there is a group.
    pub(crate) fn first_group(&self) -> Option<&str> {
        self.groups.keys().next().map(String::as_str)
    }

    /// A group's members, with `extra` listed after the real ones as if it were a member
    /// ([`Fault::DanglingAssociation`](crate::Fault::DanglingAssociation)); `extra` must sort
    /// after every user id.
    pub(crate) fn group_members(
        &self,
        group: &str,
        extra: Option<&str>,
        after_id: Option<&str>,
        limit: usize,
    ) -> Result<Page<String>, ApiError> {
        let members = self
            .members
            .get(group)
            .ok_or_else(|| ApiError::no_group(group))?;
        let Some(extra) = extra.filter(|extra| !members.contains(*extra)) else {
            return Ok(member_page(members, after_id, limit));
        };
        let extra = extra.to_owned();
        let extra = (after_id.is_none_or(|a| a < extra.as_str())).then_some(&extra);
        Ok(id_page(
            members
                .range::<str, _>(after(after_id))
                .chain(extra)
                .map(|id| (id, id.clone())),
            limit,
        ))
    }

    pub(crate) fn role_members(
        &self,
        role: &str,
        after_id: Option<&str>,
        limit: usize,
    ) -> Result<Page<String>, ApiError> {
        let members = self
            .role_members
            .get(role)
            .ok_or_else(|| ApiError::no_role(role))?;
        Ok(member_page(members, after_id, limit))
    }

    /// Every group membership, ordered by group then user. The cursor is the last membership
    /// returned (`<group id>:<user id>`), so it stays valid across restarts and changes.
    pub(crate) fn memberships(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<Membership>, ApiError> {
        let position = match cursor {
            Some(cursor) => Some(cursor.split_once(CURSOR_SEPARATOR).ok_or_else(|| {
                ApiError::bad_request(format!("cursor {cursor:?} is not a membership cursor"))
            })?),
            None => None,
        };
        let rest: Box<dyn Iterator<Item = (&String, &String)>> =
            match position {
                None => Box::new(self.members.iter().flat_map(pairs)),
                Some((group, user)) => {
                    let within = self.members.get_key_value(group).into_iter().flat_map(
                        move |(g, members)| {
                            members
                                .range::<str, _>(after(Some(user)))
                                .map(move |u| (g, u))
                        },
                    );
                    let later = self
                        .members
                        .range::<str, _>(after(Some(group)))
                        .flat_map(pairs);
                    Box::new(within.chain(later))
                }
            };
        let (items, more) = window(rest, limit);
        let next = if more {
            items
                .last()
                .map(|(g, u)| format!("{g}{CURSOR_SEPARATOR}{u}"))
        } else {
            None
        };
        Ok(Page {
            items: items
                .into_iter()
                .map(|(g, u)| Membership {
                    group_id: g.clone(),
                    user_id: u.clone(),
                })
                .collect(),
            next,
        })
    }

    /// What user `id` holds, as `(kind, id)` pairs: `("group", "g-001")`, then
    /// `("role", "admin")`; a 404 for an unknown user.
    pub(crate) fn holdings(&self, id: &str) -> Result<Vec<(&'static str, String)>, ApiError> {
        self.user(id)?;
        let groups = self
            .members
            .iter()
            .filter(|(_, members)| members.contains(id))
            .map(|(group, _)| ("group", group.clone()));
        let roles = self
            .role_members
            .iter()
            .filter(|(_, members)| members.contains(id))
            .map(|(role, _)| ("role", role.clone()));
        Ok(groups.chain(roles).collect())
    }

    /// Adds or removes a group member; doing it twice changes nothing the second time.
    pub(crate) fn set_group_member(
        &mut self,
        group: &str,
        user: &str,
        member: bool,
    ) -> Result<Change, ApiError> {
        self.user(user)?;
        let members = self
            .members
            .get_mut(group)
            .ok_or_else(|| ApiError::no_group(group))?;
        let change = toggle(members, user, member);
        if change.changed {
            self.groups_changed = now();
        }
        Ok(change)
    }

    /// Grants or revokes a role; doing it twice changes nothing the second time.
    pub(crate) fn set_role_member(
        &mut self,
        role: &str,
        user: &str,
        member: bool,
    ) -> Result<Change, ApiError> {
        self.user(user)?;
        let members = self
            .role_members
            .get_mut(role)
            .ok_or_else(|| ApiError::no_role(role))?;
        Ok(toggle(members, user, member))
    }
}

/// Checks an email address; returns its local part.
fn check_email(email: &str) -> Result<String, ApiError> {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(local.to_owned())
        }
        _ => Err(ApiError::bad_request(format!(
            "email {email:?} is not an email address"
        ))),
    }
}

/// A group's memberships as `(group, user)` pairs.
fn pairs<'a>(
    (group, members): (&'a String, &'a BTreeSet<String>),
) -> impl Iterator<Item = (&'a String, &'a String)> {
    members.iter().map(move |user| (group, user))
}

fn member_page(members: &BTreeSet<String>, after_id: Option<&str>, limit: usize) -> Page<String> {
    id_page(
        members
            .range::<str, _>(after(after_id))
            .map(|id| (id, id.clone())),
        limit,
    )
}

fn toggle(members: &mut BTreeSet<String>, user: &str, member: bool) -> Change {
    let changed = if member {
        members.insert(user.to_owned())
    } else {
        members.remove(user)
    };
    Change { changed }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_user(email: &str) -> NewUser {
        serde_json::from_value(serde_json::json!({"email": email})).unwrap()
    }

    #[test]
    fn generation_is_deterministic() {
        let data = Data::generate(30, 4);
        assert_eq!(data.users.len(), 30);
        assert_eq!(
            data.group_members("g-001", None, None, 100).unwrap().items,
            (1..=30)
                .filter(|&n| groups_of(n, 4).contains(&1))
                .map(user_id)
                .collect::<Vec<_>>()
        );
        assert_eq!(groups_of(6, 4), vec![2, 3]);
        assert_eq!(groups_of(12, 4), vec![1, 4]);
        assert_eq!(
            groups_of(3, 1),
            vec![1],
            "the second group is the first one"
        );
        assert_eq!(groups_of(3, 0), Vec::<usize>::new());
        assert_eq!(
            data.role_members(ADMIN_ROLE, None, 10).unwrap().items,
            ["u-0000001"]
        );
        assert_eq!(manager(1), None);
        assert_eq!(manager(11).as_deref(), Some("u-0000001"));
        assert_eq!(manager(12).as_deref(), Some("u-0000002"));
        assert_eq!(last_activity(7), None);
        assert_eq!(
            data.last_activity(&["u-0000001"]).unwrap(),
            [last_activity(1)]
        );
        assert_eq!(group_name(9), "Admins 2");
    }

    #[test]
    fn memberships_page_across_groups_with_a_stable_cursor() {
        let data = Data::generate(10, 3);
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = data.memberships(cursor.as_deref(), 4).unwrap();
            assert!(page.items.len() <= 4);
            all.extend(page.items);
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let expected: usize = (1..=10).map(|n| groups_of(n, 3).len()).sum();
        assert_eq!(all.len(), expected);
        let mut sorted = all.clone();
        sorted.sort_by(|a, b| (&a.group_id, &a.user_id).cmp(&(&b.group_id, &b.user_id)));
        assert_eq!(all, sorted);
        // A fresh app (another process) honours a cursor the first one gave.
        let again = Data::generate(10, 3);
        let first = data.memberships(None, 3).unwrap();
        let second = again.memberships(first.next.as_deref(), 3).unwrap();
        assert_eq!(second.items[0], all[3]);
        assert_eq!(
            data.memberships(Some("nonsense"), 3).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }

    fn patch(json: serde_json::Value) -> UserPatch {
        serde_json::from_value(json).unwrap()
    }

    /// Ids of the users changed after `since`, all pages of `limit`.
    fn changed_since(data: &Data, since: u64, limit: usize) -> Vec<String> {
        let mut ids = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = data.users_since(since, after.as_deref(), limit);
            ids.extend(page.items.into_iter().map(|u| u.id));
            match page.next {
                Some(next) => after = Some(next),
                None => return ids,
            }
        }
    }

    #[test]
    fn updates_show_in_later_reads_and_in_the_since_filter() {
        let mut data = Data::generate(20, 3);
        let since = ACTIVITY_EPOCH;
        assert!(
            changed_since(&data, since, 5).is_empty(),
            "generated users are older"
        );
        assert_eq!(changed_since(&data, 0, 7).len(), 20);
        let (user, changed) = data
            .update_user(
                "u-0000004",
                patch(serde_json::json!({"first_name": "Zoe", "department": "Legal", "last_name": "Quinn"})),
            )
            .unwrap();
        assert_eq!(
            changed,
            ["first_name", "department"],
            "last_name was already Quinn"
        );
        assert_eq!(user.first_name, "Zoe");
        assert_eq!(
            data.user("u-0000004").unwrap().department.as_deref(),
            Some("Legal")
        );
        data.set_status("u-0000012", "suspended").unwrap();
        assert_eq!(changed_since(&data, since, 1), ["u-0000004", "u-0000012"]);
        assert!(data.user("u-0000004").unwrap().updated_at.as_str() > "2025-01-01");
        // The same change again changes nothing, and the user keeps its modification time.
        let before = data.modified["u-0000004"];
        let (_, changed) = data
            .update_user("u-0000004", patch(serde_json::json!({"first_name": "Zoe"})))
            .unwrap();
        assert!(changed.is_empty());
        assert_eq!(data.modified["u-0000004"], before);
        let errors = [
            (
                "u-0000404",
                serde_json::json!({"first_name": "X"}),
                StatusCode::NOT_FOUND,
            ),
            (
                "u-0000004",
                serde_json::json!({"email": "nope"}),
                StatusCode::BAD_REQUEST,
            ),
            (
                "u-0000004",
                serde_json::json!({"status": "gone"}),
                StatusCode::BAD_REQUEST,
            ),
            (
                "u-0000004",
                serde_json::json!({"manager": "u-0000004"}),
                StatusCode::BAD_REQUEST,
            ),
            (
                "u-0000004",
                serde_json::json!({"username": "dev.patel3"}),
                StatusCode::CONFLICT,
            ),
        ];
        for (id, json, status) in errors {
            assert_eq!(
                data.update_user(id, patch(json)).unwrap_err().status,
                status
            );
        }
        assert!(
            serde_json::from_value::<UserPatch>(serde_json::json!({"id": "u-1"})).is_err(),
            "unknown attributes are refused"
        );
    }

    #[test]
    fn relationships_hold_after_a_user_goes() {
        let mut data = Data::generate(40, 10);
        let exists = |data: &Data, id: &str| data.users.contains_key(id);
        assert!(data.nhi.dangling(|u| exists(&data, u)).is_empty());
        assert!(data.spend.submitters().all(|u| exists(&data, u)));
        assert!(data.apps.assignments().all(|(_, u)| exists(&data, u)));
        // User 10 has a personal key, owns no service account, holds apps; user 7 owns sa-0001;
        // user 1 submitted an expense.
        for id in ["u-0000010", "u-0000007", "u-0000001"] {
            data.delete_user(id).unwrap();
        }
        assert!(data.nhi.dangling(|u| exists(&data, u)).is_empty());
        assert!(data.spend.submitters().all(|u| exists(&data, u)));
        assert!(data.apps.assignments().all(|(_, u)| exists(&data, u)));
        assert_eq!(
            data.holdings("u-0000010").unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            data.holdings("u-0000003").unwrap(),
            [("group", group_id(2)), ("group", group_id(3))]
        );
        data.set_role_member(ADMIN_ROLE, "u-0000003", true).unwrap();
        assert_eq!(
            data.holdings("u-0000003").unwrap().last(),
            Some(&("role", ADMIN_ROLE.to_owned()))
        );
    }

    #[test]
    fn users_are_created_deleted_and_switched() {
        let mut data = Data::generate(3, 2);
        let user = data.create_user(new_user("new@example.com")).unwrap();
        assert_eq!(user.id, "u-0000004");
        assert_eq!(user.username, "new");
        assert_eq!(user.status, "active");
        let duplicate = data.create_user(new_user("NEW@example.com")).unwrap_err();
        assert_eq!(duplicate.status, StatusCode::CONFLICT);
        let bad = data.create_user(new_user("not-an-email")).unwrap_err();
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            data.set_group_member("g-001", "u-0000004", true)
                .unwrap()
                .changed
        );
        assert!(
            !data
                .set_group_member("g-001", "u-0000004", true)
                .unwrap()
                .changed
        );
        assert_eq!(
            data.set_group_member("g-009", "u-0000004", true)
                .unwrap_err()
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            data.set_status("u-0000004", "suspended").unwrap().status,
            "suspended"
        );
        data.delete_user("u-0000004").unwrap();
        assert!(
            !data
                .group_members("g-001", None, None, 100)
                .unwrap()
                .items
                .contains(&"u-0000004".to_owned())
        );
        assert_eq!(
            data.delete_user("u-0000004").unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        // Ids are never reused.
        assert_eq!(
            data.create_user(new_user("again@example.com")).unwrap().id,
            "u-0000005"
        );
    }
}
