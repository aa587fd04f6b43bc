//! Applications (protocol 4): the app's catalogue of applications, who is assigned to which,
//! the workspace each has with its `member` and `admin` entitlements, who holds those, sign-on
//! activity, and assigning or revoking all of it.

use connector_sdk::capability::{
    AssignApplication, AssignApplicationEntitlement, GetApplication, GetApplicationAccount,
    ListApplications, ListApplicationsAccounts, ListApplicationsActivityRecords,
    ListApplicationsEntitlementAssociations, ListApplicationsEntitlements,
    ListApplicationsResources, UnassignApplication, UnassignApplicationEntitlement,
};
use connector_sdk::http::ApiPath;
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::Deserialize;

use super::activity::{Record, actors_query};
use super::{MockConnector, WORKSPACE, page_of, require};
use crate::MockSettings;
use crate::client::Api;

/// An application as the app returns it.
#[derive(Debug, Deserialize)]
struct App {
    id: String,
    name: String,
    description: Option<String>,
    status: String,
    sign_on: String,
    login_url: Option<String>,
}

fn application(app: App) -> wire::Application {
    wire::Application {
        display_name: Some(app.name.clone()),
        id: app.id,
        name: app.name,
        description: app.description,
        status: if app.status == "active" {
            wire::ApplicationStatus::Active
        } else {
            wire::ApplicationStatus::Inactive
        },
        logo: None,
        sign_on_mode: match app.sign_on.as_str() {
            "saml" => wire::SignOnMode::Saml,
            "oidc" => wire::SignOnMode::Oidc,
            "bookmark" => wire::SignOnMode::Bookmark,
            _ => wire::SignOnMode::Unknown,
        },
        sso_login_url: app.login_url,
        assignment_modes: vec![
            wire::AssignmentMode::Account,
            wire::AssignmentMode::Entitlement,
        ],
    }
}

/// An assignment as the app returns it.
#[derive(Debug, Deserialize)]
struct Assignment {
    app_id: String,
    user_id: String,
    status: String,
}

fn application_account(assignment: Assignment) -> wire::ApplicationAccount {
    wire::ApplicationAccount {
        account_id: assignment.user_id,
        application_instance_id: assignment.app_id,
        status: super::accounts::account_status(&assignment.status),
    }
}

/// `/api/apps/{app}`.
fn app_path(app: &str) -> ApiPath {
    ApiPath::new("/api/apps").id("request.application_instance_id", app)
}

/// `/api/apps/{app}/users/{user}`.
fn assignment_path(app: &str, user: &str) -> ApiPath {
    app_path(app)
        .segment("users")
        .id("request.account_id", user)
}

impl ListApplications for MockConnector {
    async fn list_applications(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListApplications,
    ) -> Result<Listing<wire::Application>, ConnectorError> {
        let page = page_of::<App>(ctx, "/api/apps", &[]).await?;
        let items = page.items.into_iter().map(application).collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

impl GetApplication for MockConnector {
    async fn get_application(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::GetApplication,
    ) -> Result<wire::Application, ConnectorError> {
        require("application_instance_id", &request.application_instance_id)?;
        let app: App = Api::new(ctx)?
            .get(app_path(&request.application_instance_id), &[])
            .await?;
        Ok(application(app))
    }
}

impl ListApplicationsAccounts for MockConnector {
    async fn list_applications_accounts(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListApplicationsAccounts,
    ) -> Result<Listing<wire::ApplicationAccount>, ConnectorError> {
        let page = page_of::<Assignment>(ctx, "/api/app-assignments", &[]).await?;
        let items = page.items.into_iter().map(application_account).collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

impl GetApplicationAccount for MockConnector {
    async fn get_application_account(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::GetApplicationAccount,
    ) -> Result<wire::ApplicationAccount, ConnectorError> {
        require("application_instance_id", &request.application_instance_id)?;
        require("account_id", &request.account_id)?;
        let assignment: Assignment = Api::new(ctx)?
            .get(
                assignment_path(&request.application_instance_id, &request.account_id),
                &[],
            )
            .await?;
        Ok(application_account(assignment))
    }
}

/// The answer of assigning or unassigning: whether anything changed.
#[derive(Debug, Deserialize)]
struct Change {
    changed: bool,
}

impl AssignApplication for MockConnector {
    /// `PUT /api/apps/{app}/users/{user}`: already assigned is a no-op.
    async fn assign_application(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::AssignApplication,
    ) -> Result<wire::AssignedApplication, ConnectorError> {
        require("application_instance_id", &request.application_instance_id)?;
        require("account_id", &request.account_id)?;
        let change: Change = Api::new(ctx)?
            .put(assignment_path(
                &request.application_instance_id,
                &request.account_id,
            ))
            .await?;
        Ok(wire::AssignedApplication {
            assigned: change.changed,
            provisioned: change.changed,
        })
    }
}

impl UnassignApplication for MockConnector {
    /// `DELETE /api/apps/{app}/users/{user}` (the app revokes the user's entitlements in it
    /// too): not assigned is a no-op.
    async fn unassign_application(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::UnassignApplication,
    ) -> Result<wire::UnassignedApplication, ConnectorError> {
        require("application_instance_id", &request.application_instance_id)?;
        require("account_id", &request.account_id)?;
        let change: Change = Api::new(ctx)?
            .delete_json(assignment_path(
                &request.application_instance_id,
                &request.account_id,
            ))
            .await?;
        Ok(wire::UnassignedApplication {
            unassigned: change.changed,
            deprovisioned: change.changed,
            // The account's access to the application is gone, whether or not it had it.
            status: wire::AccountStatus::Deprovisioned,
        })
    }
}

/// A workspace as the app returns it.
#[derive(Debug, Deserialize)]
struct Workspace {
    app_id: String,
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
}

impl ListApplicationsResources for MockConnector {
    async fn list_applications_resources(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListApplicationsResources,
    ) -> Result<Listing<wire::ApplicationResourceData>, ConnectorError> {
        let page = page_of::<Workspace>(ctx, "/api/app-resources", &[]).await?;
        let items = page
            .items
            .into_iter()
            .map(|workspace| wire::ApplicationResourceData {
                application_instance_id: workspace.app_id,
                integration_specific_id: workspace.id,
                label: workspace.name,
                description: None,
                resource_type: workspace.kind,
                extra_data: None,
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

/// An entitlement inside an application, as the app returns it.
#[derive(Debug, Deserialize)]
struct AppEntitlement {
    app_id: String,
    resource_id: String,
    id: String,
    name: String,
}

impl ListApplicationsEntitlements for MockConnector {
    async fn list_applications_entitlements(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListApplicationsEntitlements,
    ) -> Result<Listing<wire::ApplicationEntitlementData>, ConnectorError> {
        let page = page_of::<AppEntitlement>(ctx, "/api/app-entitlements", &[]).await?;
        let items = page
            .items
            .into_iter()
            .map(|entitlement| wire::ApplicationEntitlementData {
                application_instance_id: entitlement.app_id,
                entitlement_type: entitlement_type(&entitlement.id),
                extra_data: None,
                integration_specific_id: entitlement.id,
                integration_specific_resource_id: entitlement.resource_id,
                is_assignable: Some(true),
                label: entitlement.name,
                description: None,
                custom_attributes: None,
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

/// A grant inside an application, as the app returns it.
#[derive(Debug, Deserialize)]
struct Grant {
    app_id: String,
    user_id: String,
    resource_id: String,
    entitlement_id: String,
}

impl ListApplicationsEntitlementAssociations for MockConnector {
    async fn list_applications_entitlement_associations(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListApplicationsEntitlementAssociations,
    ) -> Result<Listing<wire::ApplicationEntitlementAssociation>, ConnectorError> {
        let page = page_of::<Grant>(ctx, "/api/app-grants", &[]).await?;
        let items = page
            .items
            .into_iter()
            .map(|grant| wire::ApplicationEntitlementAssociation {
                application_instance_id: grant.app_id,
                account_id: grant.user_id,
                integration_specific_entitlement_id: grant.entitlement_id,
                integration_specific_resource_id: grant.resource_id,
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

impl ListApplicationsActivityRecords for MockConnector {
    /// `GET /api/app-activity?since&actors`: sign-ons to applications.
    async fn list_applications_activity_records(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::ListApplicationsActivityRecords,
    ) -> Result<Listing<wire::ApplicationActivityRecord>, ConnectorError> {
        require("since_date", &request.since_date)?;
        let actors = actors_query(&request.actors)?;
        let query = [
            ("since", request.since_date.as_str()),
            ("actors", actors.as_str()),
        ];
        let page = page_of::<Record>(ctx, "/api/app-activity", &query).await?;
        let items = page
            .items
            .into_iter()
            .map(|record| {
                let application = record.app_id.clone().unwrap_or_default();
                let record = record.into_wire();
                wire::ApplicationActivityRecord {
                    application_instance_id: application,
                    id: record.id,
                    activity_type: record.activity_type,
                    timestamp: record.timestamp,
                    actor: record.actor,
                    targets: record.targets,
                    metadata: record.metadata,
                }
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

/// The entitlement type of entitlement `id` of a workspace: `workspace_member`, ….
fn entitlement_type(id: &str) -> String {
    format!("{WORKSPACE}_{id}")
}

/// The entitlement of an assign or unassign request.
struct Target<'a> {
    resource_type: &'a str,
    resource: &'a str,
    entitlement_type: &'a str,
    entitlement: &'a str,
}

/// `/api/apps/{app}/resources/{resource}/entitlements/{entitlement}/users/{user}`, after
/// checking the request's types.
fn grant_path(
    application: &str,
    target: &Target<'_>,
    account: &str,
) -> Result<ApiPath, ConnectorError> {
    require("application_instance_id", application)?;
    require("account_integration_specific_id", account)?;
    let Target {
        resource_type,
        resource,
        entitlement_type: kind,
        entitlement,
    } = *target;
    if resource_type != WORKSPACE {
        return Err(ConnectorError::bad_request(format!(
            "Invalid request - request.resource_type: `{resource_type}` is not `{WORKSPACE}`, \
             the only resource type inside applications"
        )));
    }
    if kind != entitlement_type(entitlement) {
        return Err(ConnectorError::bad_request(format!(
            "Invalid request - request.entitlement_type: `{kind}` is not the type of \
             entitlement `{entitlement}` (`{}`)",
            entitlement_type(entitlement)
        )));
    }
    Ok(app_path(application)
        .segment("resources")
        .id("request.resource_integration_specific_id", resource)
        .segment("entitlements")
        .id("request.entitlement_integration_specific_id", entitlement)
        .segment("users")
        .id("request.account_integration_specific_id", account))
}

impl AssignApplicationEntitlement for MockConnector {
    /// Grants `member` or `admin` of an application's workspace (the account must be assigned
    /// to the application); already held is a no-op.
    async fn assign_application_entitlement(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::AssignApplicationEntitlement,
    ) -> Result<wire::AssignedApplicationEntitlement, ConnectorError> {
        let target = Target {
            resource_type: &request.resource_type,
            resource: &request.resource_integration_specific_id,
            entitlement_type: &request.entitlement_type,
            entitlement: &request.entitlement_integration_specific_id,
        };
        let path = grant_path(
            &request.application_instance_id,
            &target,
            &request.account_integration_specific_id,
        )?;
        let change: Change = Api::new(ctx)?.put(path).await?;
        Ok(wire::AssignedApplicationEntitlement {
            assigned: change.changed,
        })
    }
}

impl UnassignApplicationEntitlement for MockConnector {
    /// Revokes an entitlement of an application's workspace; not held is a no-op.
    async fn unassign_application_entitlement(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::UnassignApplicationEntitlement,
    ) -> Result<wire::UnassignedApplicationEntitlement, ConnectorError> {
        let target = Target {
            resource_type: &request.resource_type,
            resource: &request.resource_integration_specific_id,
            entitlement_type: &request.entitlement_type,
            entitlement: &request.entitlement_integration_specific_id,
        };
        let path = grant_path(
            &request.application_instance_id,
            &target,
            &request.account_integration_specific_id,
        )?;
        let change: Change = Api::new(ctx)?.delete_json(path).await?;
        Ok(wire::UnassignedApplicationEntitlement {
            unassigned: change.changed,
        })
    }
}
