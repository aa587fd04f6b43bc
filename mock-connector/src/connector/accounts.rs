//! Accounts: credentials, listing, activity, custom attributes, and the account lifecycle;
//! protocol 4's reading one account, changing its attributes, listing what changed since a
//! moment, and listing one account's entitlements.

use std::collections::BTreeMap;

use connector_sdk::capability::{
    GetAccount, GetAccountEntitlementAssociations, ListUpdatedAccounts, UpdateAccount,
};
use connector_sdk::http::ApiPath;
use connector_sdk::pagination::PageWalk;
use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::entitlements::{Target, assign};
use super::{
    GROUP_MEMBER, MAX_ACTIVITY_BATCH, MAX_PAGE_SIZE, MockConnector, limit, page_of, require,
};
use crate::MockSettings;
use crate::client::{Activity, Api, Attributes, Me, NewUser, User, UserChange, UsersPage};

/// The custom attributes the app's users carry.
const ATTRIBUTES: &[&str] = &["department", "manager"];

/// The account state of an app status.
pub(super) fn account_status(status: &str) -> wire::AccountStatus {
    match status {
        "active" => wire::AccountStatus::Active,
        "suspended" => wire::AccountStatus::Suspended,
        _ => wire::AccountStatus::Inactive,
    }
}

fn account(user: User, attributes: Option<&[String]>) -> wire::FoundAccountData {
    let custom_attributes = attributes.map(|names| {
        let mut values = BTreeMap::new();
        for name in names {
            let value = match name.as_str() {
                "department" => user.department.clone(),
                "manager" => user.manager.clone(),
                _ => None,
            };
            if let Some(value) = value {
                values.insert(name.clone(), value);
            }
        }
        values
    });
    let mut account = wire::FoundAccountData::new(user.id);
    account.email = user.email;
    account.given_name = user.first_name;
    account.family_name = user.last_name;
    account.username = user.username;
    account.user_status = user.status.as_deref().map(account_status);
    account.custom_attributes = custom_attributes;
    account.account_type = Some(wire::AccountType::User);
    account
}

impl ValidateCredentials for MockConnector {
    async fn validate_credentials(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ValidateCredentials,
    ) -> Result<wire::ValidatedCredentials, ConnectorError> {
        // An OAuth token is checked against the app; a basic credential is checked locally,
        // as the reference connector does.
        if ctx.auth().is_some_and(|auth| auth.basic.is_none()) {
            let me: Me = Api::new(ctx)?.get("/api/me", &[]).await?;
            return Ok(wire::ValidatedCredentials {
                valid: true,
                unique_tenant_id: me.tenant_id,
            });
        }
        let basic = ctx.basic()?;
        if basic.username.is_empty() || basic.password.is_empty() {
            return Err(ConnectorError::unauthorized(
                "Invalid credentials: the username and the password must not be empty",
            ));
        }
        Ok(wire::ValidatedCredentials {
            valid: true,
            unique_tenant_id: "mock-connector-tenant-id".to_owned(),
        })
    }
}

impl ListAccounts for MockConnector {
    const DISPLAY_NAME: Option<&'static str> = Some("List Users");

    async fn list_accounts(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        // The app's `after` id of this page, handed out by the previous one.
        let after = ctx.cursor::<String>()?;
        let size = limit(ctx.page_size(), MAX_PAGE_SIZE);
        let size_text = size.to_string();
        let mut query = vec![("limit", size_text.as_str())];
        if let Some(after) = after.as_deref() {
            query.push(("after", after));
        }
        let page: UsersPage = Api::new(ctx)?.get("/api/users", &query).await?;
        // The cursor we were given, then the page: a cursor handed back, or more users than
        // asked for, would make the platform's sync loop or overflow.
        let mut walk = PageWalk::new("GET /api/users");
        walk.cursor(after.as_deref())?;
        walk.step(size as usize, page.users.len(), page.next.as_deref())?;
        let attributes = request.custom_attributes.as_deref();
        let accounts = page
            .users
            .into_iter()
            .map(|user| account(user, attributes))
            .collect();
        Ok(Listing::with_cursor(accounts, page.next))
    }
}

impl GetLastActivity for MockConnector {
    /// Pages over the requested ids, [`MAX_ACTIVITY_BATCH`] at most per call; accounts that
    /// were never active are left out.
    async fn get_last_activity(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::GetLastActivity,
    ) -> Result<Listing<wire::LastActivityData>, ConnectorError> {
        let ids = request.account_ids;
        for id in &ids {
            require("account_ids[]", id)?;
            if id.contains(',') {
                return Err(ConnectorError::bad_request(format!(
                    "Invalid request - request.account_ids: `{id}` is not an account id"
                )));
            }
        }
        // The index in `account_ids` this page starts at.
        let offset = ctx.cursor::<usize>()?.unwrap_or(0);
        if offset > ids.len() {
            return Err(ConnectorError::invalid_page_token(
                "The page token of get_last_activity points past the end of account_ids",
            ));
        }
        let size = limit(ctx.page_size(), MAX_ACTIVITY_BATCH) as usize;
        let end = (offset + size).min(ids.len());
        let batch = &ids[offset..end];
        if batch.is_empty() {
            return Ok(Listing::last(Vec::new()));
        }
        let joined = batch.join(",");
        let activity: Activity = Api::new(ctx)?
            .get("/api/last-activity", &[("ids", joined.as_str())])
            .await?;
        let items = activity
            .activity
            .into_iter()
            .filter_map(|user| {
                user.last_activity.map(|at| wire::LastActivityData {
                    account_id: user.user_id,
                    event_type: "last_activity".to_owned(),
                    happened_at: at,
                })
            })
            .collect();
        Ok(Listing::with_cursor(
            items,
            (end < ids.len()).then_some(end),
        ))
    }
}

impl ListCustomAttributesSchema for MockConnector {
    async fn list_custom_attributes_schema(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListCustomAttributesSchema,
    ) -> Result<Listing<wire::CustomAttributeSchema>, ConnectorError> {
        let declared: Attributes = Api::new(ctx)?.get("/api/custom-attributes", &[]).await?;
        let schema = declared
            .attributes
            .into_iter()
            .map(|attribute| wire::CustomAttributeSchema {
                customized_type: wire::CustomAttributeCustomizedType::Account,
                attribute_type: match attribute.kind.as_str() {
                    "user" => wire::CustomAttributeType::User,
                    // Anything else the app may add later reads as text.
                    _ => wire::CustomAttributeType::String,
                },
                name: attribute.name,
            })
            .collect();
        Ok(Listing::last(schema))
    }
}

/// A string value of `extra_data`, if present.
fn extra_text(
    extra: Option<&serde_json::Map<String, Value>>,
    key: &str,
) -> Result<Option<String>, ConnectorError> {
    match extra.and_then(|extra| extra.get(key)) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(ConnectorError::bad_request(format!(
            "Invalid request - request.extra_data.{key} must be a string"
        ))),
    }
}

impl CreateAccount for MockConnector {
    /// Creates the user (custom attributes from `extra_data`), then grants its entitlements.
    async fn create_account(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::CreateAccount,
    ) -> Result<wire::CreatedAccount, ConnectorError> {
        let email = request
            .email
            .filter(|email| !email.trim().is_empty())
            .ok_or_else(|| {
                ConnectorError::bad_request(
                    "Invalid request - request.email is required: the app identifies users by email",
                )
            })?;
        let status = match request.user_status.as_deref().map(str::to_ascii_uppercase) {
            None => "active",
            Some(status) => match status.as_str() {
                "ACTIVE" => "active",
                "SUSPENDED" | "INACTIVE" | "DEPROVISIONED" => "suspended",
                _ => {
                    return Err(ConnectorError::bad_request(format!(
                        "Invalid request - request.user_status: `{status}` is not one of ACTIVE, \
                         INACTIVE, SUSPENDED, DEPROVISIONED"
                    )));
                }
            },
        };
        let extra = request.extra_data.as_ref();
        for key in extra.into_iter().flat_map(|extra| extra.keys()) {
            if !ATTRIBUTES.contains(&key.as_str()) {
                return Err(ConnectorError::bad_request(format!(
                    "Invalid request - request.extra_data.{key}: the app only knows {}",
                    ATTRIBUTES.join(", ")
                )));
            }
        }
        // Every entitlement is checked before anything changes in the app.
        let targets = request
            .entitlements
            .iter()
            .map(|e| {
                Target::parse(
                    &e.entitlement_type,
                    None,
                    e.integration_specific_resource_id.as_deref().unwrap_or(""),
                    &e.integration_specific_id,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let new = NewUser {
            email,
            username: request.username,
            first_name: request.given_name,
            last_name: request.family_name,
            status,
            department: extra_text(extra, "department")?,
            manager: extra_text(extra, "manager")?,
        };
        let api = Api::new(ctx)?;
        let user: User = api.post("/api/users", Some(&new)).await?;
        for target in &targets {
            assign(&api, &user.id, target, true).await?;
        }
        Ok(wire::CreatedAccount {
            status: account_status(user.status.as_deref().unwrap_or_default()),
            created: true,
        })
    }
}

impl DeleteAccount for MockConnector {
    async fn delete_account(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::DeleteAccount,
    ) -> Result<wire::DeletedAccount, ConnectorError> {
        require("account_id", &request.account_id)?;
        Api::new(ctx)?
            .delete(ApiPath::new("/api/users").id("request.account_id", &request.account_id))
            .await?;
        Ok(wire::DeletedAccount {
            status: wire::AccountStatus::Deleted,
            deleted: true,
        })
    }
}

/// `POST /api/users/{id}/{action}`: the app makes these idempotent, so they are retried like
/// a PUT.
async fn switch(
    ctx: &Context<MockSettings>,
    account_id: &str,
    action: &str,
) -> Result<wire::AccountStatus, ConnectorError> {
    require("account_id", account_id)?;
    let api = Api::with_retry(ctx, ctx.retry_policy().clone().retry_writes(true))?;
    let user: User = api
        .post::<(), _>(
            ApiPath::new("/api/users")
                .id("request.account_id", account_id)
                .segment(action),
            None,
        )
        .await?;
    Ok(account_status(user.status.as_deref().unwrap_or_default()))
}

impl ActivateAccount for MockConnector {
    async fn activate_account(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::ActivateAccount,
    ) -> Result<wire::ActivatedAccount, ConnectorError> {
        let status = switch(ctx, &request.account_id, "activate").await?;
        Ok(wire::ActivatedAccount {
            activated: status == wire::AccountStatus::Active,
            status,
        })
    }
}

impl DeactivateAccount for MockConnector {
    async fn deactivate_account(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::DeactivateAccount,
    ) -> Result<wire::DeactivatedAccount, ConnectorError> {
        let status = switch(ctx, &request.account_id, "deactivate").await?;
        Ok(wire::DeactivatedAccount {
            deactivated: status != wire::AccountStatus::Active,
            status,
        })
    }
}

/// `/api/users/{id}`.
fn user_path(id: &str) -> ApiPath {
    ApiPath::new("/api/users").id("request.account_id", id)
}

impl GetAccount for MockConnector {
    async fn get_account(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::GetAccount,
    ) -> Result<wire::FoundAccountData, ConnectorError> {
        require("account_id", &request.account_id)?;
        let user: User = Api::new(ctx)?
            .get(user_path(&request.account_id), &[])
            .await?;
        Ok(account(user, request.custom_attributes.as_deref()))
    }
}

/// The attributes `update_account` changes: the protocol's name and the app's.
const UPDATABLE: &[(&str, &str)] = &[
    ("email", "email"),
    ("username", "username"),
    ("given_name", "first_name"),
    ("family_name", "last_name"),
    ("user_status", "status"),
    ("department", "department"),
    ("manager", "manager"),
];

/// The app's status for a protocol status.
fn app_status(status: &str) -> Result<&'static str, ConnectorError> {
    match status.to_ascii_uppercase().as_str() {
        "ACTIVE" => Ok("active"),
        "SUSPENDED" | "INACTIVE" | "DEPROVISIONED" => Ok("suspended"),
        _ => Err(ConnectorError::bad_request(format!(
            "Invalid request - request.user_status: `{status}` is not one of ACTIVE, INACTIVE, \
             SUSPENDED, DEPROVISIONED"
        ))),
    }
}

impl UpdateAccount for MockConnector {
    /// `PATCH /api/users/{id}` with the attributes asked for; answers those the app really
    /// changed (none: nothing changed, a no-op).
    async fn update_account(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::UpdateableAccount,
    ) -> Result<wire::UpdateableAccount, ConnectorError> {
        require("id", &request.id)?;
        let mut patch = Map::new();
        for (name, value) in &request.changes {
            let Some((_, app_name)) = UPDATABLE.iter().find(|(wire, _)| wire == name) else {
                let known: Vec<&str> = UPDATABLE.iter().map(|(wire, _)| *wire).collect();
                return Err(ConnectorError::bad_request(format!(
                    "Invalid request - request.{name}: the app cannot change it; it changes {}",
                    known.join(", ")
                )));
            };
            let Value::String(text) = value else {
                return Err(ConnectorError::bad_request(format!(
                    "Invalid request - request.{name} must be a string"
                )));
            };
            let text = if *app_name == "status" {
                app_status(text)?.to_owned()
            } else {
                text.clone()
            };
            patch.insert((*app_name).to_owned(), Value::String(text));
        }
        let path = ApiPath::new("/api/users").id("request.id", &request.id);
        let answer: UserChange<Vec<String>> = Api::new(ctx)?.patch(path, &patch).await?;
        let changes = UPDATABLE
            .iter()
            .filter(|(_, app_name)| answer.changed.iter().any(|c| c == app_name))
            .filter_map(|(wire, _)| {
                let value = request.changes.get(*wire)?.clone();
                Some(((*wire).to_owned(), value))
            })
            .collect();
        Ok(wire::UpdateableAccount {
            id: answer.user.id,
            changes,
        })
    }
}

impl ListUpdatedAccounts for MockConnector {
    /// `GET /api/users?updated_since=…`, paged by the app's id cursor, which travels in the
    /// answer's `cursor` (opaque, bound to this capability) and comes back in the request's
    /// (the envelope's page is not used: the listing continues by its own cursor).
    async fn list_updated_accounts(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::ListUpdatedAccounts,
    ) -> Result<wire::UpdatedAccounts, ConnectorError> {
        let after: Option<String> = ctx.payload_cursor(request.cursor.as_deref())?;
        let after = after.as_deref();
        let size = limit(ctx.page_size(), MAX_PAGE_SIZE);
        let size_text = size.to_string();
        let mut query = vec![("limit", size_text.as_str())];
        if let Some(since) = request.since.as_deref() {
            query.push(("updated_since", since));
        }
        if let Some(after) = after {
            query.push(("after", after));
        }
        let page: UsersPage = Api::new(ctx)?.get("/api/users", &query).await?;
        let mut walk = PageWalk::new("GET /api/users?updated_since");
        walk.cursor(after)?;
        walk.step(size as usize, page.users.len(), page.next.as_deref())?;
        let attributes = request.custom_attributes.as_deref();
        Ok(wire::UpdatedAccounts {
            accounts: page
                .users
                .into_iter()
                .map(|user| account(user, attributes))
                .collect(),
            cursor: page.next.map(|next| ctx.cursor_text(&next)).transpose()?,
        })
    }
}

/// One of a user's groups or roles, as `GET /api/users/{id}/memberships` lists it.
#[derive(Debug, Deserialize)]
struct Holding {
    kind: String,
    id: String,
}

impl GetAccountEntitlementAssociations for MockConnector {
    /// The account's groups (`member` of the group) and roles (on the app itself).
    async fn get_account_entitlement_associations(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::GetAccountEntitlementAssociations,
    ) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {
        require("account_id", &request.account_id)?;
        let path = user_path(&request.account_id).segment("memberships");
        let page = page_of::<Holding>(ctx, path, &[]).await?;
        let items = page
            .items
            .into_iter()
            .map(|holding| {
                let (entitlement, resource) = if holding.kind == "role" {
                    (holding.id, String::new())
                } else {
                    (GROUP_MEMBER.to_owned(), holding.id)
                };
                wire::FoundEntitlementAssociation {
                    account_id: request.account_id.clone(),
                    integration_specific_entitlement_id: entitlement,
                    integration_specific_resource_id: resource,
                }
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}
