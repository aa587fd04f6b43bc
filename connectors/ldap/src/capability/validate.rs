//! `validate_credentials`: bind, then name the naming context that holds the base DN.

use connector_sdk::capability::ValidateCredentials;
use connector_sdk::{ConnectorError, Context, wire};

use super::LdapConnector;
use crate::directory::Directory;
use crate::dn;
use crate::settings::LdapSettings;

impl ValidateCredentials for LdapConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("Binds as the bind DN; the tenant id is the naming context holding the base DN.");

    async fn validate_credentials(
        &self,
        ctx: &Context<LdapSettings>,
        _request: wire::ValidateCredentials,
    ) -> Result<wire::ValidatedCredentials, ConnectorError> {
        let settings = ctx.settings();
        let mut directory = Directory::connect(ctx).await?;
        let root = directory.root_dse(&["namingContexts"]).await?;
        let contexts: Vec<String> = root
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("namingContexts"))
            .flat_map(|(_, values)| values.iter().cloned())
            .collect();
        let base = settings.base_dn.trim();
        let tenant = if contexts.is_empty() {
            // The root DSE is not readable for this bind DN: the base DN names the tenant.
            base.to_owned()
        } else {
            contexts
                .iter()
                .filter(|context| dn::is_under(base, context))
                .max_by_key(|context| context.len())
                .cloned()
                .ok_or_else(|| {
                    ConnectorError::not_found(format!(
                        "The base DN {base:?} is not under any naming context of the server \
                         ({})",
                        contexts.join("; ")
                    ))
                })?
        };
        directory
            .require_entry("base DN entry", base, "(objectClass=*)")
            .await?;
        directory.close().await;
        Ok(wire::ValidatedCredentials {
            valid: true,
            unique_tenant_id: tenant,
        })
    }
}
