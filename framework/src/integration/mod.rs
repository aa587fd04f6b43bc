//! The integration declaration: who the connector is, what it accepts, what it can do.

mod dispatch;
mod errors;
pub(crate) mod handler;
mod info;
mod pages;
mod raw;
pub(crate) mod redact;
mod strict;

use std::collections::BTreeMap;
use std::error::Error as StdError;

use crate::ConnectorError;
use crate::capability::{self, Connector};
use crate::wire::{AppCategory, CapabilityName, EntitlementType, ResourceType};

pub use dispatch::Envelope;
use errors::ErrorHandler;
pub(crate) use errors::code_for_status;
use handler::{Capability, ErasedHandler, Typed};

/// The default time budget of one capability call.
pub const DEFAULT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(300);

/// The environment variable that sets the time budget of every capability call, in seconds
/// (`30`, `2.5`), over the integration's own [`IntegrationBuilder::deadline`].
pub const DEADLINE_ENV: &str = "CONNECTOR_DEADLINE_SECS";

/// The call budget: the environment's, else the integration's.
pub(crate) fn call_budget(declared: std::time::Duration) -> std::time::Duration {
    std::env::var(DEADLINE_ENV)
        .ok()
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
        .map_or(declared, |seconds| {
            std::time::Duration::try_from_secs_f64(seconds).unwrap_or(std::time::Duration::MAX)
        })
}

/// A kind of credential a connector accepts in `auth`.
///
/// ```
/// use connector_sdk::AuthKind;
///
/// assert_eq!(AuthKind::OAuthClientCredentials.field(), "oauth_client_credentials");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum AuthKind {
    /// `auth.basic`: username and password.
    Basic,
    /// `auth.token`: a static API token.
    Token,
    /// `auth.oauth`: an OAuth access token (authorization-code flow).
    OAuth,
    /// `auth.oauth_client_credentials`: an OAuth access token from the client-credentials flow.
    OAuthClientCredentials,
}

impl AuthKind {
    /// The key of this kind inside `auth`.
    pub const fn field(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Token => "token",
            Self::OAuth => "oauth",
            Self::OAuthClientCredentials => "oauth_client_credentials",
        }
    }

    fn is_present(self, auth: &crate::wire::AuthCredential) -> bool {
        match self {
            Self::Basic => auth.basic.is_some(),
            Self::Token => auth.token.is_some(),
            Self::OAuth => auth.oauth.is_some(),
            Self::OAuthClientCredentials => auth.oauth_client_credentials.is_some(),
        }
    }
}

/// A registered capability.
struct Registered<C: Connector> {
    handler: Box<dyn ErasedHandler<C>>,
    description: Option<String>,
    /// `raised_in` prefix: the module that implements it.
    module: String,
}

/// A complete connector: the declaration plus the registered capabilities.
///
/// Build one with [`Integration::builder`]; run it with [`crate::cli::run`], or call
/// [`Integration::dispatch`] in process.
///
/// ```
/// use connector_sdk::prelude::*;
/// use connector_sdk::{AuthKind, ConnectorError, Context, EmptySettings, Integration, wire};
///
/// struct Demo;
/// impl Connector for Demo {
///     type Settings = EmptySettings;
/// }
/// impl ValidateCredentials for Demo {
///     async fn validate_credentials(
///         &self,
///         _ctx: &Context<EmptySettings>,
///         _request: wire::ValidateCredentials,
///     ) -> Result<wire::ValidatedCredentials, ConnectorError> {
///         Ok(wire::ValidatedCredentials { valid: true, unique_tenant_id: "t".into() })
///     }
/// }
///
/// let integration = Integration::builder(Demo, "demo", "1.0.0")
///     .auth(AuthKind::Token)
///     .validate_credentials()
///     .build();
/// assert_eq!(integration.capabilities(), vec![wire::CapabilityName::ValidateCredentials]);
/// ```
pub struct Integration<C: Connector> {
    connector: C,
    app_id: String,
    version: String,
    auth_kinds: Vec<AuthKind>,
    user_friendly_name: Option<String>,
    description: Option<String>,
    logo_url: Option<String>,
    categories: Option<Vec<AppCategory>>,
    resource_types: Vec<ResourceType>,
    entitlement_types: Vec<EntitlementType>,
    oauth_scopes: Option<BTreeMap<String, String>>,
    capabilities: BTreeMap<CapabilityName, Registered<C>>,
    error_handlers: Vec<ErrorHandler>,
    settings_shape: std::sync::OnceLock<dispatch::SettingsShape>,
    retry: crate::http::RetryPolicy,
    deadline: std::time::Duration,
}

impl<C: Connector> std::fmt::Debug for Integration<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Integration")
            .field("app_id", &self.app_id)
            .field("version", &self.version)
            .field("auth_kinds", &self.auth_kinds)
            .field("capabilities", &self.capabilities())
            .finish_non_exhaustive()
    }
}

impl<C: Connector> Integration<C> {
    /// Starts the declaration of a connector with its app id and version.
    ///
    /// # Panics
    ///
    /// If `app_id` is empty after trimming: every envelope names the app, so this is a bug in
    /// the connector, caught by its first test.
    pub fn builder(
        connector: C,
        app_id: impl Into<String>,
        version: impl Into<String>,
    ) -> IntegrationBuilder<C> {
        let app_id = app_id.into().trim().to_owned();
        assert!(
            !app_id.is_empty(),
            "the app id of an integration must not be empty"
        );
        IntegrationBuilder {
            oauth_pending: None,
            integration: Self {
                connector,
                app_id,
                version: version.into(),
                auth_kinds: Vec::new(),
                user_friendly_name: None,
                description: None,
                logo_url: None,
                categories: None,
                resource_types: Vec::new(),
                entitlement_types: Vec::new(),
                oauth_scopes: None,
                capabilities: BTreeMap::new(),
                error_handlers: Vec::new(),
                settings_shape: std::sync::OnceLock::new(),
                retry: crate::http::RetryPolicy::default(),
                deadline: DEFAULT_DEADLINE,
            },
        }
    }

    /// The app id.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The connector's version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The registered capabilities, sorted by name.
    pub fn capabilities(&self) -> Vec<CapabilityName> {
        self.capabilities.keys().copied().collect()
    }

    /// The description given for a capability at registration, if any.
    pub fn capability_description(&self, name: CapabilityName) -> Option<&str> {
        self.capabilities.get(&name)?.description.as_deref()
    }

    /// The accepted credential kinds, in declaration order.
    pub fn auth_kinds(&self) -> &[AuthKind] {
        &self.auth_kinds
    }

    /// The display name, if declared.
    pub(crate) fn info_name(&self) -> Option<String> {
        self.user_friendly_name.clone()
    }

    /// The name of the crate that defines the connector type (its logging target).
    pub(crate) fn crate_name() -> String {
        let module = errors::module_of::<C>();
        module.split('.').next().unwrap_or_default().to_owned()
    }

    /// The connector value.
    pub fn connector(&self) -> &C {
        &self.connector
    }
}

/// Declares an [`Integration`]: metadata, accepted credentials, capabilities, error handlers.
///
/// Registering a capability requires the connector to implement its trait; otherwise the call
/// does not compile, and the compiler names the trait and the `async fn` to write.
pub struct IntegrationBuilder<C: Connector> {
    integration: Integration<C>,
    oauth_pending: Option<crate::oauth::OAuthSettings<C::Settings>>,
}

impl<C: Connector> std::fmt::Debug for IntegrationBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("IntegrationBuilder")
            .field(&self.integration)
            .finish()
    }
}

impl<C: Connector> IntegrationBuilder<C> {
    /// Accepts a kind of credential. Call it once per kind; a request must carry at least one
    /// of the accepted kinds.
    #[must_use]
    pub fn auth(mut self, kind: AuthKind) -> Self {
        if !self.integration.auth_kinds.contains(&kind) {
            self.integration.auth_kinds.push(kind);
        }
        self
    }

    /// The app's display name.
    #[must_use]
    pub fn user_friendly_name(mut self, name: impl Into<String>) -> Self {
        self.integration.user_friendly_name = Some(name.into());
        self
    }

    /// What the app is.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.integration.description = Some(description.into());
        self
    }

    /// The app's logo.
    #[must_use]
    pub fn logo_url(mut self, url: impl Into<String>) -> Self {
        self.integration.logo_url = Some(url.into());
        self
    }

    /// A category the app is listed under (call once per category).
    #[must_use]
    pub fn category(mut self, category: AppCategory) -> Self {
        self.integration
            .categories
            .get_or_insert_with(Vec::new)
            .push(category);
        self
    }

    /// Declares a resource type.
    #[must_use]
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.integration.resource_types.push(resource_type);
        self
    }

    /// Declares an entitlement type.
    #[must_use]
    pub fn entitlement_type(mut self, entitlement_type: EntitlementType) -> Self {
        self.integration.entitlement_types.push(entitlement_type);
        self
    }

    /// Sets the OAuth scopes reported by `info` (capability name → space-delimited scopes).
    #[must_use]
    pub fn oauth_scopes(mut self, scopes: BTreeMap<String, String>) -> Self {
        self.integration.oauth_scopes = Some(scopes);
        self
    }

    /// Maps errors of type `E` (found anywhere in a failing capability's error chain) to a
    /// [`ConnectorError`]. Handlers are tried in registration order; the first match wins.
    /// Errors the author built as `ConnectorError`s with a code are never remapped.
    ///
    /// ```
    /// # use connector_sdk::{ConnectorError, EmptySettings, Integration, capability::Connector};
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0")
    ///     .error_handler(|e: &std::num::ParseIntError| {
    ///         ConnectorError::invalid_value(format!("not a number: {e}"))
    ///     })
    ///     .build();
    /// # let _ = integration;
    /// ```
    #[must_use]
    pub fn error_handler<E, F>(mut self, handler: F) -> Self
    where
        E: StdError + 'static,
        F: Fn(&E) -> ConnectorError + Send + Sync + 'static,
    {
        self.integration
            .error_handlers
            .push(ErrorHandler::new::<E, F>(handler));
        self
    }

    /// The time budget of one capability call (default [`DEFAULT_DEADLINE`]): every HTTP
    /// exchange, retry and wait of the call fits in it, and a handler still running when it is
    /// spent ends with `request_timeout`. The [`DEADLINE_ENV`] environment variable overrides it.
    #[must_use]
    pub fn deadline(mut self, budget: std::time::Duration) -> Self {
        self.integration.deadline = budget;
        self
    }

    /// The HTTP retry policy of every request's client ([`crate::http::HttpClient::for_request`]).
    #[must_use]
    pub fn retry_policy(mut self, policy: crate::http::RetryPolicy) -> Self {
        self.integration.retry = policy;
        self
    }

    /// Adds the OAuth module: the OAuth capabilities of the settings' flow type, implemented
    /// from configuration, and their scopes in `info.oauth_scopes`. Capabilities registered by
    /// hand (before or after) or switched off in the settings are left to the connector.
    #[must_use]
    pub fn oauth(mut self, settings: crate::oauth::OAuthSettings<C::Settings>) -> Self {
        self.oauth_pending = Some(settings);
        self
    }

    /// Whether a capability is registered.
    pub(crate) fn has(&self, capability: CapabilityName) -> bool {
        self.integration.capabilities.contains_key(&capability)
    }

    /// Gives a registered capability a description (shown in `info` and `--help`).
    #[must_use]
    pub fn describe(mut self, name: CapabilityName, description: impl Into<String>) -> Self {
        if let Some(registered) = self.integration.capabilities.get_mut(&name) {
            registered.description = Some(description.into());
        }
        self
    }

    fn register<M: Capability<C>>(self) -> Self {
        let module = errors::module_of::<C>();
        self.register_erased(M::NAME, Box::new(Typed::<M>::new()), module)
    }

    /// Registers a handler object (the OAuth module's handlers go through here).
    pub(crate) fn register_erased(
        mut self,
        name: CapabilityName,
        handler: Box<dyn ErasedHandler<C>>,
        module: String,
    ) -> Self {
        self.integration.capabilities.insert(
            name,
            Registered {
                handler,
                description: None,
                module,
            },
        );
        self
    }

    /// Finishes the declaration.
    pub fn build(mut self) -> Integration<C> {
        match self.oauth_pending.take() {
            // Registered last, so hand-written capabilities win whatever the call order.
            Some(settings) => crate::oauth::register(self, settings).integration,
            None => self.integration,
        }
    }
}

/// Declares one registration method per capability.
macro_rules! registrations {
    ($($(#[$doc:meta])* $method:ident => $Trait:ident / $Marker:ident;)+) => {
        impl<C: Connector> IntegrationBuilder<C> {
            $(
                $(#[$doc])*
                #[doc = concat!(
                    "\n\nRegisters `", stringify!($method), "`; the connector must implement [`",
                    "capability::", stringify!($Trait), "`](crate::capability::", stringify!($Trait), ")."
                )]
                #[must_use]
                pub fn $method(self) -> Self
                where
                    C: capability::$Trait,
                {
                    self.register::<$Marker>()
                }
            )+
        }
    };
}

use crate::capability::markers::*;

registrations! {
    /// Credential validation.
    validate_credentials => ValidateCredentials / ValidateCredentialsMarker;
    /// Account listing.
    list_accounts => ListAccounts / ListAccountsMarker;
    /// Resource listing.
    list_resources => ListResources / ListResourcesMarker;
    /// Entitlement listing.
    list_entitlements => ListEntitlements / ListEntitlementsMarker;
    /// Entitlement association listing.
    find_entitlement_associations => FindEntitlementAssociations / FindEntitlementAssociationsMarker;
    /// Last activity.
    get_last_activity => GetLastActivity / GetLastActivityMarker;
    /// Custom attribute declaration.
    list_custom_attributes_schema => ListCustomAttributesSchema / ListCustomAttributesSchemaMarker;
    /// Account creation.
    create_account => CreateAccount / CreateAccountMarker;
    /// Account deletion.
    delete_account => DeleteAccount / DeleteAccountMarker;
    /// Account activation.
    activate_account => ActivateAccount / ActivateAccountMarker;
    /// Account deactivation.
    deactivate_account => DeactivateAccount / DeactivateAccountMarker;
    /// Entitlement assignment.
    assign_entitlement => AssignEntitlement / AssignEntitlementMarker;
    /// Entitlement revocation.
    unassign_entitlement => UnassignEntitlement / UnassignEntitlementMarker;
    /// OAuth authorization URL (a hand-written replacement of the OAuth module's).
    get_authorization_url => GetAuthorizationUrl / GetAuthorizationUrlMarker;
    /// OAuth callback (a hand-written replacement of the OAuth module's).
    handle_authorization_callback => HandleAuthorizationCallback / HandleAuthorizationCallbackMarker;
    /// OAuth client credentials (a hand-written replacement of the OAuth module's).
    handle_client_credentials_request => HandleClientCredentialsRequest / HandleClientCredentialsRequestMarker;
    /// OAuth token refresh (a hand-written replacement of the OAuth module's).
    refresh_access_token => RefreshAccessToken / RefreshAccessTokenMarker;
}
