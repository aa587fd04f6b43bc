//! A small test connector whose capabilities do whatever the test needs.

use connector_sdk::prelude::*;
use connector_sdk::wire::{self, Secret};
use connector_sdk::{AuthKind, ConnectorError, Context, Integration, Listing};
use serde_json::Value;

/// Settings with a secret field.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
pub(crate) struct TestSettings {
    /// Base URL of the app.
    pub(crate) base_url: String,
    /// A secret setting.
    #[serde(default)]
    pub(crate) api_key: Option<Secret>,
}

/// Behaves according to the account id or the settings it is given.
#[derive(Debug)]
pub(crate) struct TestConnector;

impl Connector for TestConnector {
    type Settings = TestSettings;
}

#[derive(Debug, thiserror::Error)]
#[error("the app said no")]
pub(crate) struct AppSaidNo;

impl ListAccounts for TestConnector {
    async fn list_accounts(
        &self,
        ctx: &Context<TestSettings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        ctx.set_raw_data(serde_json::json!({"source": "test"}));
        let start: usize = ctx.page_token().map_or(Ok(0), str::parse)?;
        let size = ctx.page_size().unwrap_or(2) as usize;
        let all: Vec<_> = (0..5)
            .map(|i| wire::FoundAccountData::new(format!("u{i}")))
            .collect();
        let end = (start + size).min(all.len());
        let next = (end < all.len()).then(|| end.to_string());
        Ok(Listing::new(all[start..end].to_vec(), next))
    }
}

impl DeleteAccount for TestConnector {
    async fn delete_account(
        &self,
        ctx: &Context<TestSettings>,
        request: wire::DeleteAccount,
    ) -> Result<wire::DeletedAccount, ConnectorError> {
        let password = ctx.basic()?.password.expose().to_owned();
        let api_key = ctx
            .settings()
            .api_key
            .as_ref()
            .map(|k| k.expose().to_owned())
            .unwrap_or_default();
        match request.account_id.as_str() {
            "panic" => panic!("boom in the handler"),
            "io" => Err(std::io::Error::other("disk on fire"))?,
            "app" => Err(AppSaidNo)?,
            "leak" => Err(ConnectorError::api_error(format!(
                "failed with password {password} and key {api_key}"
            ))),
            "http" => {
                let url = format!("{}/users/1?api_key={api_key}", ctx.settings().base_url);
                http().build()?.get(url).send().await?.error_for_status()?;
                Ok(wire::DeletedAccount {
                    status: wire::AccountStatus::Deleted,
                    deleted: true,
                })
            }
            "client" => {
                let client = connector_sdk::http::HttpClient::for_request(
                    ctx,
                    ctx.settings().base_url.clone(),
                )
                .build()?;
                let _: serde_json::Value = client.get_json("/users/1", &[]).await?;
                Ok(wire::DeletedAccount {
                    status: wire::AccountStatus::Deleted,
                    deleted: true,
                })
            }
            "sleep" => {
                // A handler that never ends by itself (no HTTP client deadline involved).
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                Err(ConnectorError::internal_error("woke up"))
            }
            "coded" => Err(ConnectorError::not_found("no such user").with_app_error_code("E-404")),
            _ => Ok(wire::DeletedAccount {
                status: wire::AccountStatus::Deleted,
                deleted: true,
            }),
        }
    }
}

/// The test integration; `handlers` adds an error handler for [`AppSaidNo`].
pub(crate) fn integration(handlers: bool) -> Integration<TestConnector> {
    integration_with(handlers, connector_sdk::http::RetryPolicy::default())
}

/// The test integration with an HTTP retry policy.
pub(crate) fn integration_with(
    handlers: bool,
    retry: connector_sdk::http::RetryPolicy,
) -> Integration<TestConnector> {
    integration_builder(handlers).retry_policy(retry).build()
}

/// The test integration's declaration, to add to before building.
pub(crate) fn integration_builder(
    handlers: bool,
) -> connector_sdk::IntegrationBuilder<TestConnector> {
    let builder = Integration::builder(TestConnector, "test-app", "9.9.9")
        .auth(AuthKind::Basic)
        .auth(AuthKind::Token)
        .list_accounts()
        .delete_account();
    if handlers {
        builder.error_handler(|_: &AppSaidNo| {
            ConnectorError::permission_denied("the app refused").with_app_error_code("NO")
        })
    } else {
        builder
    }
}

/// Runs a capability in process and returns the envelope as JSON.
pub(crate) fn dispatch(
    integration: &Integration<TestConnector>,
    capability: &str,
    request: &Value,
) -> Value {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(1)
        .build()
        .unwrap();
    runtime
        .block_on(integration.dispatch(capability, &request.to_string()))
        .to_value()
}

/// A request with basic auth, a secret setting, and a payload.
pub(crate) fn request(base_url: &str, payload: Value) -> Value {
    serde_json::json!({
        "auth": {"basic": {"username": "alice", "password": "pa55word-SECRET"}},
        "settings": {"base_url": base_url, "api_key": "key-SECRET-123"},
        "request": payload,
    })
}

/// A reqwest client builder for the tests' own calls to test servers. The workspace's reqwest
/// has no default TLS crypto provider (the SDK installs rustls' `ring` one when it builds its
/// client), so this installs it first.
pub(crate) fn http() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// A multi-thread tokio runtime of `workers` threads, for tests that block on async code.
pub(crate) fn runtime(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A single-thread tokio runtime, for tests that block on async code.
pub(crate) fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}
