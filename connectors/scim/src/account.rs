//! Protocol 4's capabilities about one account: read it (`GET /Users/{id}`), change it
//! (PATCH, or PUT with the ETag on servers without PATCH), list the users changed since a
//! moment (`meta.lastModified gt "…"`), and list one user's groups.
//!
//! Ids only ever go into one URL path segment (the SDK's `ApiPath`), and every value put into
//! a SCIM filter is a quoted, escaped string ([`filter_string`]), so neither can change the
//! request it is part of.

use connector_sdk::capability::{
    AccountChange, GetAccount, GetAccountEntitlementAssociations, ListUpdatedAccounts,
    UpdateAccount,
};
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::client::{Features, Group, Scim, User, filter_string};
use crate::read::{After, account, page_from};
use crate::{MEMBER, ScimConnector, ScimConnectorSettings};

fn require_id(id: &str) -> Result<(), ConnectorError> {
    if id.trim().is_empty() {
        return Err(ConnectorError::bad_request(
            "Invalid request - request.account_id must not be empty",
        ));
    }
    Ok(())
}

/// The custom attributes to read: the request's, else the settings'.
fn custom_attributes(
    ctx: &Context<ScimConnectorSettings>,
    asked: Option<Vec<String>>,
) -> Vec<String> {
    asked.unwrap_or_else(|| ctx.settings().custom_attributes.clone())
}

/// A user as the server sent it, read into the connector's view of it.
fn user_of(value: &Value) -> Result<User, ConnectorError> {
    User::deserialize(value).map_err(|e| {
        ConnectorError::invalid_response(format!("The SCIM server sent a User it cannot read: {e}"))
    })
}

impl GetAccount for ScimConnector {
    const DESCRIPTION: Option<&'static str> = Some("GET /Users/{id}, mapped like list_accounts.");

    async fn get_account(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::GetAccount,
    ) -> Result<wire::FoundAccountData, ConnectorError> {
        require_id(&request.account_id)?;
        let custom = custom_attributes(ctx, request.custom_attributes);
        let (user, _) = Scim::new(ctx)?.user(&request.account_id).await?;
        Ok(account(&user_of(&user)?, &custom))
    }
}

/// One attribute change `update_account` understands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    UserName(String),
    GivenName(Option<String>),
    FamilyName(Option<String>),
    Email(Option<String>),
    Active(bool),
}

/// The request's changes, checked before any call to the server (by the SDK's
/// [`AccountChange::read`]): an unknown key or a value of the wrong type is a `bad_request`
/// naming the key.
fn changes(request: &wire::UpdateableAccount) -> Result<Vec<(String, Change)>, ConnectorError> {
    AccountChange::read(request)?
        .into_iter()
        .map(|(key, change)| {
            let change = match change {
                AccountChange::Username(name) => Change::UserName(name),
                AccountChange::GivenName(name) => Change::GivenName(name),
                AccountChange::FamilyName(name) => Change::FamilyName(name),
                AccountChange::Email(email) => Change::Email(email),
                AccountChange::Active(active) => Change::Active(active),
                _ => {
                    return Err(AccountChange::not_changeable(
                        &key,
                        &AccountChange::STANDARD,
                    ));
                }
            };
            Ok((key, change))
        })
        .collect()
}

/// The index in `emails` of the address the connector reports: the primary one, else the first.
fn reported_email(emails: &[Value]) -> Option<usize> {
    emails
        .iter()
        .position(|e| e["primary"] == Value::Bool(true))
        .or_else(|| (!emails.is_empty()).then_some(0))
}

/// `emails` with the reported address set to `email` (or removed, for `None`).
fn emails_with(current: &Value, email: Option<&str>) -> Vec<Value> {
    let mut emails = current.as_array().cloned().unwrap_or_default();
    match (reported_email(&emails), email) {
        (Some(index), Some(email)) => {
            if let Some(object) = emails.get_mut(index).and_then(Value::as_object_mut) {
                object.insert("value".to_owned(), json!(email));
            }
        }
        (None, Some(email)) => {
            emails.push(json!({"value": email, "primary": true, "type": "work"}));
        }
        (Some(index), None) => {
            emails.remove(index);
        }
        (None, None) => {}
    }
    emails
}

impl Change {
    /// Whether the user already has the value.
    fn holds(&self, user: &Value) -> bool {
        let string = |value: &Value| value.as_str().map(str::to_owned);
        match self {
            Self::UserName(name) => string(&user["userName"]).as_deref() == Some(name.as_str()),
            Self::GivenName(name) => string(&user["name"]["givenName"]) == *name,
            Self::FamilyName(name) => string(&user["name"]["familyName"]) == *name,
            Self::Email(email) => {
                let emails = user["emails"].as_array().cloned().unwrap_or_default();
                let current = reported_email(&emails).and_then(|i| string(&emails[i]["value"]));
                current == *email
            }
            // A user without `active` is active (as `list_accounts` reports it).
            Self::Active(active) => user["active"].as_bool().unwrap_or(true) == *active,
        }
    }

    /// The PatchOp operation making the change.
    fn operation(&self, user: &Value) -> Value {
        let set = |path: &str, value: Option<&str>| match value {
            Some(value) => json!({"op": "replace", "path": path, "value": value}),
            None => json!({"op": "remove", "path": path}),
        };
        match self {
            Self::UserName(name) => set("userName", Some(name)),
            Self::GivenName(name) => set("name.givenName", name.as_deref()),
            Self::FamilyName(name) => set("name.familyName", name.as_deref()),
            Self::Email(email) => {
                let emails = emails_with(&user["emails"], email.as_deref());
                if emails.is_empty() {
                    json!({"op": "remove", "path": "emails"})
                } else {
                    json!({"op": "replace", "path": "emails", "value": emails})
                }
            }
            Self::Active(active) => json!({"op": "replace", "path": "active", "value": active}),
        }
    }

    /// Makes the change in a whole user, for a PUT.
    fn apply(&self, user: &mut Value) {
        let Some(object) = user.as_object_mut() else {
            return;
        };
        let mut name_part = |part: &str, value: &Option<String>| {
            let name = object.entry("name").or_insert_with(|| json!({}));
            if let Some(name) = name.as_object_mut() {
                match value {
                    Some(value) => {
                        name.insert(part.to_owned(), json!(value));
                    }
                    None => {
                        name.remove(part);
                    }
                }
            }
        };
        match self {
            Self::GivenName(name) => name_part("givenName", name),
            Self::FamilyName(name) => name_part("familyName", name),
            Self::UserName(name) => {
                object.insert("userName".to_owned(), json!(name));
            }
            Self::Email(email) => {
                let current = object.get("emails").cloned().unwrap_or(Value::Null);
                object.insert(
                    "emails".to_owned(),
                    Value::Array(emails_with(&current, email.as_deref())),
                );
            }
            Self::Active(active) => {
                object.insert("active".to_owned(), json!(active));
            }
        }
    }
}

impl UpdateAccount for ScimConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "Changes email, given_name, family_name, username and active/user_status: by PATCH, or \
         by PUT with the ETag when the server has no PATCH. Names only what really changed.",
    );

    async fn update_account(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::UpdateableAccount,
    ) -> Result<wire::UpdateableAccount, ConnectorError> {
        require_id(&request.id)?;
        let wanted = changes(&request)?;
        if wanted.is_empty() {
            return Ok(wire::UpdateableAccount::unchanged(request.id));
        }
        let scim = Scim::new(ctx)?;
        let features = scim.features().await?;
        let (mut user, etag) = scim.user(&request.id).await?;
        let pending: Vec<&(String, Change)> = wanted
            .iter()
            .filter(|(_, change)| !change.holds(&user))
            .collect();
        if pending.is_empty() {
            return Ok(wire::UpdateableAccount::unchanged(request.id));
        }
        if features.patch {
            let operations = pending.iter().map(|(_, c)| c.operation(&user)).collect();
            scim.patch_user(&request.id, operations).await?;
        } else {
            for (_, change) in &pending {
                change.apply(&mut user);
            }
            scim.put_user(&request.id, user, etag.as_deref(), features)
                .await?;
        }
        let changed = pending
            .iter()
            .filter_map(|(key, _)| Some((key.clone(), request.changes.get(key)?.clone())))
            .collect();
        Ok(wire::UpdateableAccount {
            id: request.id,
            changes: changed,
        })
    }
}

/// Whether `value` is an RFC 3339 date-time (`2026-01-31T23:59:59Z`,
/// `2026-01-31T23:59:59.5+01:00`).
fn is_rfc3339(value: &str) -> bool {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = bytes.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let at = |index: usize, allowed: &[u8]| bytes.get(index).is_some_and(|b| allowed.contains(b));
    let (Some(_), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    let shape = at(4, b"-") && at(7, b"-") && at(10, b"Tt ") && at(13, b":") && at(16, b":");
    let ranges = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 60;
    let mut rest = &bytes[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    let zone = match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit())
                && (*h1 - b'0') * 10 + (*h2 - b'0') <= 23
                && (*m1 - b'0') * 10 + (*m2 - b'0') <= 59
        }
        _ => false,
    };
    shape && ranges && zone
}

/// Where `list_updated_accounts` goes on (inside its `cursor`): the moment it lists from and
/// the listing's position.
#[derive(Debug, Serialize, Deserialize)]
struct UpdatedCursor {
    since: Option<String>,
    after: After,
}

impl ListUpdatedAccounts for ScimConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "Users whose meta.lastModified is after `since` (a SCIM filter; servers that do not \
         filter are refused), paged by startIndex/count in the request's own cursor.",
    );

    async fn list_updated_accounts(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::ListUpdatedAccounts,
    ) -> Result<wire::UpdatedAccounts, ConnectorError> {
        let resumed: Option<UpdatedCursor> = ctx.payload_cursor(request.cursor.as_deref())?;
        let (since, after) = match resumed {
            Some(cursor) => {
                if request.since.is_some() && request.since != cursor.since {
                    return Err(ConnectorError::invalid_page_token(
                        "request.cursor was made for another request.since; start again \
                         without a cursor",
                    ));
                }
                (cursor.since, Some(cursor.after))
            }
            None => (request.since, None),
        };
        if let Some(since) = &since
            && !is_rfc3339(since)
        {
            return Err(ConnectorError::bad_request(format!(
                "Invalid request - request.since must be an RFC 3339 date-time \
                 (2026-01-31T23:59:59Z), not {since:?}"
            )));
        }
        // The first page checks that the server filters: one that ignores `filter` would
        // answer every user as changed.
        if since.is_some() && after.is_none() {
            let features: Features = Scim::new(ctx)?.features().await?;
            if !features.filter {
                return Err(ConnectorError::unsupported_operation(
                    "The SCIM server does not support filtering (its ServiceProviderConfig says \
                     filter.supported is not true), so it cannot list the users changed since \
                     a moment",
                ));
            }
        }
        // RFC 3339's lower-case and space forms, as the `T…Z` form servers read for sure
        // (checked above: ASCII digits and separators only).
        let filter = since.as_deref().map(|since| {
            let canonical = since.to_ascii_uppercase().replacen(' ', "T", 1);
            format!("meta.lastModified gt {}", filter_string(&canonical))
        });
        let custom = custom_attributes(ctx, request.custom_attributes);
        let (users, next) = page_from::<User>(
            ctx,
            "/Users",
            filter.as_deref(),
            None,
            after.unwrap_or_default(),
            |u| &u.id,
        )
        .await?;
        let cursor = match next {
            Some(after) => Some(ctx.cursor_text(&UpdatedCursor { since, after })?),
            None => None,
        };
        Ok(wire::UpdatedAccounts {
            accounts: users.iter().map(|user| account(user, &custom)).collect(),
            cursor,
        })
    }
}

/// A `groups` value of a user (RFC 7643 §4.1.2), as servers that fill it send it.
#[derive(Debug, Deserialize)]
struct UserGroup {
    value: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

impl GetAccountEntitlementAssociations for ScimConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "The user's direct groups: its `groups` attribute where the server fills it, else the \
         groups whose members include it (a SCIM filter), as find_entitlement_associations \
         reports them.",
    );

    async fn get_account_entitlement_associations(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::GetAccountEntitlementAssociations,
    ) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {
        require_id(&request.account_id)?;
        let scim = Scim::new(ctx)?;
        // The user first: an id that names no user is `not_found`, not an empty list.
        let (user, _) = scim.user(&request.account_id).await?;
        let association = |group: String| wire::FoundEntitlementAssociation {
            account_id: request.account_id.clone(),
            integration_specific_entitlement_id: MEMBER.to_owned(),
            integration_specific_resource_id: group,
        };
        if let Some(groups) = user.get("groups").filter(|g| g.is_array()) {
            let groups: Vec<UserGroup> = Deserialize::deserialize(groups).map_err(|e| {
                ConnectorError::invalid_response(format!(
                    "The SCIM server sent a User whose groups it cannot read: {e}"
                ))
            })?;
            let direct = groups
                .into_iter()
                .filter(|g| {
                    !g.kind
                        .as_deref()
                        .is_some_and(|k| k.eq_ignore_ascii_case("indirect"))
                })
                .map(|g| association(g.value))
                .collect();
            return Ok(Listing::last(direct));
        }
        let after = ctx.cursor::<After>()?;
        if after.is_none() && !scim.features().await?.filter {
            return Err(ConnectorError::unsupported_operation(
                "The SCIM server neither reports a user's groups nor supports filtering (its \
                 ServiceProviderConfig says filter.supported is not true), so it cannot list \
                 one user's groups",
            ));
        }
        let filter = format!("members.value eq {}", filter_string(&request.account_id));
        let (groups, next) = page_from::<Group>(
            ctx,
            "/Groups",
            Some(&filter),
            Some("id"),
            after.unwrap_or_default(),
            |g| &g.id,
        )
        .await?;
        let associations = groups.into_iter().map(|g| association(g.id)).collect();
        Ok(Listing::with_cursor(associations, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_date_times() {
        for good in [
            "2026-01-31T23:59:59Z",
            "2026-01-31t23:59:59.123456z",
            "2026-01-31T23:59:59+01:00",
            "2026-01-31 00:00:00-05:30",
        ] {
            assert!(is_rfc3339(good), "{good}");
        }
        for bad in [
            "",
            "2026-01-31",
            "2026-13-01T00:00:00Z",
            "2026-01-31T23:59:59",
            "2026-01-31T23:59:59Z\" or userName pr",
            "2026-01-31T23:59:59.Z",
            "2026-01-31T23:59:59+1:00",
            "２026-01-31T23:59:59Z",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn filter_values_stay_strings() {
        assert_eq!(
            filter_string(r#"a" or "1" eq "1"#),
            r#""a\" or \"1\" eq \"1""#
        );
        assert_eq!(filter_string(r"x\"), r#""x\\""#);
    }

    #[test]
    fn unknown_and_mistyped_changes_are_refused_by_name() {
        let request = |value: Value| wire::UpdateableAccount {
            id: "u-1".to_owned(),
            changes: value.as_object().cloned().unwrap(),
        };
        let error = changes(&request(json!({"email": "a@b", "nickname": "x"}))).unwrap_err();
        assert_eq!(error.code(), wire::ErrorCode::BadRequest);
        assert!(
            error.message().contains("\"nickname\""),
            "{}",
            error.message()
        );
        let error = changes(&request(json!({"username": null}))).unwrap_err();
        assert!(
            error.message().contains("request.username"),
            "{}",
            error.message()
        );
        let error = changes(&request(
            json!({"active": true, "user_status": "SUSPENDED"}),
        ))
        .unwrap_err();
        assert!(
            error.message().contains("contradict"),
            "{}",
            error.message()
        );
        let ok = changes(&request(
            json!({"given_name": null, "user_status": "ACTIVE"}),
        ))
        .unwrap();
        assert_eq!(ok.len(), 2);
    }

    #[test]
    fn the_reported_email_is_the_one_changed() {
        let current = json!([
            {"value": "home@x", "primary": false},
            {"value": "work@x", "primary": true},
        ]);
        let changed = emails_with(&current, Some("new@x"));
        assert_eq!(changed[0]["value"], "home@x");
        assert_eq!(changed[1]["value"], "new@x");
        assert_eq!(
            emails_with(&current, None),
            vec![json!({"value": "home@x", "primary": false})]
        );
        assert_eq!(
            emails_with(&Value::Null, Some("a@x")),
            vec![json!({"value": "a@x", "primary": true, "type": "work"})]
        );
    }
}
