//! Offboarding (protocol 4): moving an account's data to another account, releasing its
//! license, moving it to a cheaper one. When the app had nothing to do, the answer says so
//! (`success: false` with the reason), which protocol 4 reports as a no-op.

use connector_sdk::capability::{DowngradeLicense, ReleaseResources, TransferData};
use connector_sdk::http::ApiPath;
use connector_sdk::{ConnectorError, Context, wire};
use serde::Serialize;

use super::{MockConnector, require};
use crate::MockSettings;
use crate::client::{Api, UserChange};

/// The body of `POST /api/users/{id}/transfer`.
#[derive(Debug, Serialize)]
struct Transfer<'a> {
    to: &'a str,
}

/// `POST /api/users/{id}/{action}` with `body`; whether the app changed anything.
async fn act<B: Serialize>(
    ctx: &Context<MockSettings>,
    field: &str,
    account_id: &str,
    action: &str,
    body: Option<&B>,
) -> Result<bool, ConnectorError> {
    require(field, account_id)?;
    let path = ApiPath::new("/api/users")
        .id(&format!("request.{field}"), account_id)
        .segment(action);
    let answer: UserChange<bool> = Api::new(ctx)?.post(path, body).await?;
    Ok(answer.changed)
}

impl TransferData for MockConnector {
    /// The target account becomes the owner of the source account's data.
    async fn transfer_data(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::TransferData,
    ) -> Result<wire::TransferDataStatus, ConnectorError> {
        require("target_account_id", &request.target_account_id)?;
        let body = Transfer {
            to: &request.target_account_id,
        };
        let moved = act(
            ctx,
            "source_account_id",
            &request.source_account_id,
            "transfer",
            Some(&body),
        )
        .await?;
        Ok(wire::TransferDataStatus {
            success: moved,
            reason: (!moved).then(|| {
                format!(
                    "the data of {} already belongs to {}",
                    request.source_account_id, request.target_account_id
                )
            }),
        })
    }
}

impl ReleaseResources for MockConnector {
    /// Gives the account's license back.
    async fn release_resources(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::ReleaseResources,
    ) -> Result<wire::ReleaseResourcesStatus, ConnectorError> {
        let released = act::<()>(ctx, "account_id", &request.account_id, "release", None).await?;
        Ok(wire::ReleaseResourcesStatus {
            success: released,
            reason: (!released).then(|| format!("{} holds no license", request.account_id)),
        })
    }
}

impl DowngradeLicense for MockConnector {
    /// Moves the account one license tier down.
    async fn downgrade_license(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::DowngradeLicense,
    ) -> Result<wire::DowngradedLicense, ConnectorError> {
        let downgraded =
            act::<()>(ctx, "account_id", &request.account_id, "downgrade", None).await?;
        Ok(wire::DowngradedLicense {
            success: downgraded,
            reason: (!downgraded)
                .then(|| format!("{} has the cheapest license already", request.account_id)),
        })
    }
}
