//! The integration declaration: who the connector is, what it accepts, what it can do.

mod credential_check;
mod custom;
mod declared;
mod dispatch;
mod errors;
pub(crate) mod handler;
mod info;
mod info4;
pub(crate) mod openapi;
mod pages;
mod probe;
mod raw;
mod strict;
mod v4;

use std::collections::BTreeMap;
use std::error::Error as StdError;

use crate::ConnectorError;
use crate::capability::{self, ByTrait, Connector, Handler, marker};
use crate::wire::{AppCategory, CapabilityName, EntitlementType, ResourceType};

pub use custom::CustomCapability;
pub use declared::Credential;
pub(crate) use declared::Declared;
pub use dispatch::Envelope;
use errors::ErrorHandler;
use handler::{ErasedHandler, Typed};

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
    /// `auth.jwt` (protocol 4): JWT headers and claims the SDK signs per call.
    Jwt,
    /// `auth.key_pair` (protocol 4): a private key and its identifier.
    KeyPair,
    /// `auth.service_account` (protocol 4): a service account's JSON key.
    ServiceAccount,
    /// `auth.oauth1` (protocol 4): OAuth 1.0a consumer and token credentials.
    OAuth1,
    /// `auth.empty` (protocol 4): no credential at all.
    Empty,
}

impl AuthKind {
    /// The key of this kind inside `auth`.
    pub const fn field(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Token => "token",
            Self::OAuth => "oauth",
            Self::OAuthClientCredentials => "oauth_client_credentials",
            Self::Jwt => "jwt",
            Self::KeyPair => "key_pair",
            Self::ServiceAccount => "service_account",
            Self::OAuth1 => "oauth1",
            Self::Empty => "empty",
        }
    }

    /// Every kind, in the order of `AuthCredential`'s fields.
    pub const ALL: [Self; 9] = [
        Self::OAuth,
        Self::OAuthClientCredentials,
        Self::OAuth1,
        Self::Basic,
        Self::Token,
        Self::Jwt,
        Self::ServiceAccount,
        Self::KeyPair,
        Self::Empty,
    ];

    /// Whether a credential of this kind is an OAuth access token (the OAuth capabilities
    /// obtain it).
    pub const fn is_oauth(self) -> bool {
        matches!(self, Self::OAuth | Self::OAuthClientCredentials)
    }

    pub(crate) fn is_present(self, auth: &crate::wire::AuthCredential) -> bool {
        match self {
            Self::Basic => auth.basic.is_some(),
            Self::Token => auth.token.is_some(),
            Self::OAuth => auth.oauth.is_some(),
            Self::OAuthClientCredentials => auth.oauth_client_credentials.is_some(),
            Self::Jwt => auth.jwt.is_some(),
            Self::KeyPair => auth.key_pair.is_some(),
            Self::ServiceAccount => auth.service_account.is_some(),
            Self::OAuth1 => auth.oauth1.is_some(),
            // 4.x: an `empty` credential is always complete.
            Self::Empty => true,
        }
    }
}

/// What protocol 4's `app_info` and `info` say about the connector's OAuth flows (the OAuth
/// module sets it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthFacts {
    /// The authorization-code flow (else client credentials only).
    pub(crate) code_flow: bool,
    /// The token endpoint, when it does not depend on the settings.
    pub(crate) token_url: Option<String>,
    /// The authorization endpoint, when there is one that does not depend on the settings.
    pub(crate) authorization_url: Option<String>,
    /// Whether PKCE is used.
    pub(crate) pkce: bool,
}

/// A registered capability.
struct Registered<C: Connector> {
    handler: Box<dyn ErasedHandler<C>>,
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
    /// The declared credentials, in declaration order (`.auth(kind)` declares one named by its
    /// kind).
    credentials: Vec<Credential>,
    /// The combinations of credential ids a request may carry, when declared.
    allowed_credentials: Option<Vec<Vec<String>>>,
    user_friendly_name: Option<String>,
    description: Option<String>,
    logo_url: Option<String>,
    app_vendor_domain: Option<String>,
    categories: Option<Vec<AppCategory>>,
    resource_types: Vec<ResourceType>,
    entitlement_types: Vec<EntitlementType>,
    oauth_scopes: Option<BTreeMap<CapabilityName, String>>,
    oauth_facts: Option<OAuthFacts>,
    /// Per-credential OAuth providers (protocol 4): the credential id, its flows' facts and
    /// its scopes (capability → scopes).
    credential_oauth: Vec<(String, OAuthFacts, BTreeMap<String, String>)>,
    /// The OAuth module's own state while the integration is declared (its providers).
    oauth_module: Option<Box<dyn std::any::Any + Send + Sync>>,
    capabilities: BTreeMap<CapabilityName, Registered<C>>,
    /// Custom capabilities (protocol 4), by name.
    custom: BTreeMap<&'static str, Registered<C>>,
    error_handlers: Vec<ErrorHandler>,
    settings_shape: std::sync::OnceLock<dispatch::SettingsShape>,
    retry: crate::http::RetryPolicy,
    deadline: std::time::Duration,
    record: crate::record::RecordOptions,
    protocol: crate::wire::Protocol,
    /// Whether the SDK answers `probe_integration` (protocol 4's default).
    probe: bool,
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
            integration: Self {
                connector,
                app_id,
                version: version.into(),
                auth_kinds: Vec::new(),
                credentials: Vec::new(),
                allowed_credentials: None,
                user_friendly_name: None,
                description: None,
                logo_url: None,
                app_vendor_domain: None,
                categories: None,
                resource_types: Vec::new(),
                entitlement_types: Vec::new(),
                oauth_scopes: None,
                oauth_facts: None,
                credential_oauth: Vec::new(),
                oauth_module: None,
                capabilities: BTreeMap::new(),
                error_handlers: Vec::new(),
                settings_shape: std::sync::OnceLock::new(),
                retry: crate::http::RetryPolicy::default(),
                deadline: crate::http::DEFAULT_DEADLINE,
                record: crate::record::RecordOptions::default(),
                protocol: crate::wire::Protocol::default(),
                probe: true,
                custom: BTreeMap::new(),
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

    /// The protocol this connector speaks unless told otherwise at run time: the bundle's
    /// (`connector package --protocol`) when this binary is one, else the declared default
    /// ([`IntegrationBuilder::protocol`], 3.7.8 when not declared).
    ///
    /// The command line and `serve` take `--protocol` or the `CONNECTOR_PROTOCOL` environment
    /// variable over it; [`Integration::dispatch`] speaks it, [`Integration::dispatch_as`] any.
    pub fn protocol(&self) -> crate::wire::Protocol {
        crate::wire::Protocol::bundled().unwrap_or(self.protocol)
    }

    /// How calls are recorded (`--record`).
    pub fn record_options(&self) -> &crate::record::RecordOptions {
        &self.record
    }

    /// Whether `name` is answered in `protocol`: registered, or run by the SDK itself
    /// (`probe_integration` in protocol 4).
    pub(crate) fn is_registered_in(
        &self,
        name: CapabilityName,
        protocol: crate::wire::Protocol,
    ) -> bool {
        name.exists_in(protocol)
            && (self.capabilities.contains_key(&name) || self.sdk_probes_as(name))
    }

    /// The registered capabilities, sorted by name.
    pub fn capabilities(&self) -> Vec<CapabilityName> {
        self.capabilities.keys().copied().collect()
    }

    /// The registered capabilities that exist in `protocol`, sorted by name: in 3.7.8 those
    /// protocol 4 added are unknown.
    pub fn capabilities_in(&self, protocol: crate::wire::Protocol) -> Vec<CapabilityName> {
        CapabilityName::ALL
            .iter()
            .copied()
            .filter(|name| self.is_registered_in(*name, protocol))
            .collect()
    }

    /// The custom capabilities (protocol 4), sorted by name.
    pub fn custom_capabilities(&self) -> Vec<&'static str> {
        self.custom.keys().copied().collect()
    }

    /// The description of a custom capability, if it has one.
    pub fn custom_description(&self, name: &str) -> Option<&str> {
        self.custom.get(name)?.handler.description()
    }

    /// The description of a registered capability (its trait's `DESCRIPTION`), if any.
    pub fn capability_description(&self, name: CapabilityName) -> Option<&str> {
        self.capabilities.get(&name)?.handler.description()
    }

    /// The name protocol 4 shows for a registered capability: its trait's `DISPLAY_NAME`, else
    /// the name in Title Case (`List Accounts`).
    pub fn capability_display_name(&self, name: CapabilityName) -> String {
        self.capabilities
            .get(&name)
            .and_then(|registered| registered.handler.display_name())
            .map_or_else(|| info4::display_name(name.as_str()), str::to_owned)
    }

    /// The JSON schema of a registered capability's `request` payload.
    pub(crate) fn argument_schema(&self, name: CapabilityName) -> Option<serde_json::Value> {
        let registered = self.capabilities.get(&name)?;
        Some(registered.handler.argument_schema().to_value())
    }

    /// The accepted credential kinds, in declaration order.
    pub fn auth_kinds(&self) -> &[AuthKind] {
        &self.auth_kinds
    }

    /// The declared credentials, in declaration order.
    pub fn credentials(&self) -> &[Credential] {
        &self.credentials
    }

    /// Whether the connector is multi-credential in protocol 4: it declares credentials by id
    /// ([`IntegrationBuilder::credential`]) or accepts several.
    pub fn is_multi_credential(&self) -> bool {
        self.credentials.len() > 1 || self.credentials.iter().any(Credential::is_explicit)
    }

    /// The declared credentials, resolved (a `.auth(kind)` one is optional among several).
    pub(crate) fn declared_credentials(&self) -> Vec<Declared> {
        declared::resolve(&self.credentials)
    }

    /// The combinations of credential ids a request may carry: the declared ones, else every
    /// required credential together and each optional one alone.
    pub(crate) fn credential_combinations(&self) -> Vec<Vec<String>> {
        declared::combinations(
            &self.declared_credentials(),
            self.allowed_credentials.as_deref(),
        )
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
    /// of the accepted kinds. It declares a credential named by the kind (`basic`, `token`, …),
    /// optional when the connector accepts several.
    #[must_use]
    pub fn auth(mut self, kind: AuthKind) -> Self {
        if !self.integration.auth_kinds.contains(&kind) {
            self.integration.auth_kinds.push(kind);
            self.integration.credentials.push(Credential::of_kind(kind));
        }
        self
    }

    /// Declares a credential with its own id (protocol 4's multi-credential mode): a request
    /// names it in its `credentials` list, a handler reads it with
    /// [`Context::credential`](crate::Context::credential). In 3.7.8, where a request carries
    /// one `auth`, its kind is accepted.
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
    /// use connector_sdk::Credential;
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0")
    ///     .credential(Credential::oauth("sso").description("Single sign-on"))
    ///     .credential(Credential::basic("legacy").description("The old login").optional())
    ///     .build();
    /// assert!(integration.is_multi_credential());
    /// assert_eq!(integration.credentials()[1].id(), "legacy");
    /// ```
    ///
    /// # Panics
    ///
    /// If a credential with this id is already declared: a request could not tell them apart.
    #[must_use]
    pub fn credential(mut self, credential: Credential) -> Self {
        assert!(
            !self
                .integration
                .credentials
                .iter()
                .any(|declared| declared.id() == credential.id()),
            "the credential id '{}' is declared twice",
            credential.id()
        );
        if !self.integration.auth_kinds.contains(&credential.kind()) {
            self.integration.auth_kinds.push(credential.kind());
        }
        self.integration.credentials.push(credential);
        self
    }

    /// The combinations of credentials a request may carry (4.x's `allowed_credentials`): a
    /// request passes when one combination has every required member and at least one member.
    /// Without it, every required credential together, or any optional one alone.
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
    /// use connector_sdk::Credential;
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0")
    ///     .credential(Credential::basic("legacy"))
    ///     .credential(Credential::token("api"))
    ///     .allowed_credentials([["legacy"], ["api"]])
    ///     .build();
    /// # let _ = integration;
    /// ```
    ///
    /// # Panics
    ///
    /// At [`Self::build`], if a combination names an undeclared credential, or is empty.
    #[must_use]
    pub fn allowed_credentials<T, I>(mut self, combinations: T) -> Self
    where
        T: IntoIterator<Item = I>,
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let tuples = combinations
            .into_iter()
            .map(|tuple| tuple.into_iter().map(Into::into).collect())
            .collect();
        self.integration.allowed_credentials = Some(tuples);
        self
    }

    /// The protocol version the connector speaks by default (3.7.8 when not declared): see
    /// [`Protocol`](crate::Protocol) for how a bundle or the command line choose another.
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, Protocol, capability::Connector};
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0").protocol(Protocol::V4).build();
    /// assert_eq!(integration.protocol(), Protocol::V4);
    /// ```
    #[must_use]
    pub fn protocol(mut self, protocol: crate::wire::Protocol) -> Self {
        self.integration.protocol = protocol;
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

    /// The domain of the app's vendor (`info` and `app_info` of protocol 4).
    #[must_use]
    pub fn app_vendor_domain(mut self, domain: impl Into<String>) -> Self {
        self.integration.app_vendor_domain = Some(domain.into());
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

    /// Sets the OAuth scopes reported by `info` (capability → space-delimited scopes); the
    /// OAuth module sets them from its configuration.
    #[must_use]
    pub fn oauth_scopes(mut self, scopes: BTreeMap<CapabilityName, String>) -> Self {
        self.integration.oauth_scopes = Some(scopes);
        self
    }

    /// Records the OAuth flows' facts for protocol 4's `info` and `app_info`.
    #[must_use]
    pub(crate) fn oauth_facts(mut self, facts: OAuthFacts) -> Self {
        self.integration.oauth_facts = Some(facts);
        self
    }

    /// Records an OAuth credential's provider facts for protocol 4's `app_info`.
    pub(crate) fn credential_oauth_facts(
        mut self,
        id: &str,
        facts: OAuthFacts,
        scopes: BTreeMap<String, String>,
    ) -> Self {
        let oauth = &mut self.integration.credential_oauth;
        oauth.retain(|(known, _, _)| known != id);
        oauth.push((id.to_owned(), facts, scopes));
        self
    }

    /// Takes the OAuth module's state (its providers so far; the default on first use). The
    /// module puts it back with [`Self::put_oauth_module`].
    pub(crate) fn take_oauth_module<T: std::any::Any + Send + Sync + Default>(&mut self) -> T {
        match self
            .integration
            .oauth_module
            .take()
            .map(|state| state.downcast::<T>())
        {
            Some(Ok(state)) => *state,
            _ => T::default(),
        }
    }

    /// Keeps the OAuth module's state until the next OAuth declaration.
    pub(crate) fn put_oauth_module<T: std::any::Any + Send + Sync>(&mut self, state: T) {
        self.integration.oauth_module = Some(Box::new(state));
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

    /// The time budget of one capability call (default [`crate::http::DEFAULT_DEADLINE`]): every HTTP
    /// exchange, retry and wait of the call fits in it, and a handler still running when it is
    /// spent ends with `request_timeout`. The [`crate::http::DEADLINE_ENV`] environment variable overrides it.
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

    /// Also treats these JSON fields as personal data when a call is recorded (`--record`):
    /// they are replaced by consistent fakes like `email` or `given_name` are. See
    /// [`crate::record`].
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0")
    ///     .record_personal_fields(&["manager_note", "home_address"])
    ///     .build();
    /// assert_eq!(integration.record_options().extra_personal_fields(), ["manager_note", "home_address"]);
    /// ```
    #[must_use]
    pub fn record_personal_fields(mut self, fields: &[&str]) -> Self {
        self.integration.record =
            std::mem::take(&mut self.integration.record).personal_fields(fields);
        self
    }

    /// How calls are recorded (`--record`): extra personal fields, ids kept or mapped.
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
    /// use connector_sdk::record::RecordOptions;
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0")
    ///     .record_options(RecordOptions::default().personal_fields(&["badge_number"]).map_ids(true))
    ///     .build();
    /// assert!(integration.record_options().maps_ids());
    /// ```
    #[must_use]
    pub fn record_options(mut self, options: crate::record::RecordOptions) -> Self {
        self.integration.record = options;
        self
    }

    /// Turns off the SDK's `probe_integration` (protocol 4 answers it by default, running the
    /// connector's own listings with a small page; see [`capability::ProbeIntegration`] to
    /// write your own instead).
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, Protocol, capability::Connector};
    /// use connector_sdk::wire::CapabilityName;
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let probed = Integration::builder(Demo, "demo", "1.0.0").build();
    /// assert!(probed.capabilities_in(Protocol::V4).contains(&CapabilityName::ProbeIntegration));
    /// let quiet = Integration::builder(Demo, "demo", "1.0.0").without_probe().build();
    /// assert!(quiet.capabilities_in(Protocol::V4).is_empty());
    /// ```
    #[must_use]
    pub fn without_probe(mut self) -> Self {
        self.integration.probe = false;
        self
    }

    /// Whether a capability is registered.
    pub(crate) fn has(&self, capability: CapabilityName) -> bool {
        self.integration.capabilities.contains_key(&capability)
    }

    /// Whether a capability is registered by `module` (the SDK's modules re-register theirs).
    pub(crate) fn registered_by(&self, capability: CapabilityName, module: &str) -> bool {
        self.integration
            .capabilities
            .get(&capability)
            .is_some_and(|registered| registered.module == module)
    }

    /// Registers a handler for its capability (replacing an earlier one). The connector's own
    /// traits and the SDK's modules (OAuth) come through here alike.
    pub(crate) fn register<H: Handler<C>>(mut self, handler: H, module: String) -> Self {
        self.integration.capabilities.insert(
            <H::Spec as crate::capability::Capability>::NAME,
            Registered {
                handler: Box::new(Typed(handler)),
                module,
            },
        );
        self
    }

    fn register_trait<M>(self) -> Self
    where
        ByTrait<M>: Handler<C>,
    {
        let module = errors::module_of::<C>();
        self.register(ByTrait::<M>::new(), module)
    }

    /// Finishes the declaration (adding the SDK's `validate_credential_config` when the
    /// connector accepts several credentials).
    ///
    /// # Panics
    ///
    /// If [`Self::allowed_credentials`] names a credential that is not declared, or has an
    /// empty combination.
    pub fn build(self) -> Integration<C> {
        if let Some(tuples) = &self.integration.allowed_credentials {
            for tuple in tuples {
                assert!(
                    !tuple.is_empty(),
                    "allowed_credentials has an empty combination"
                );
                for id in tuple {
                    assert!(
                        self.integration.credentials.iter().any(|c| c.id() == id),
                        "allowed_credentials names '{id}', which is not a declared credential"
                    );
                }
            }
        }
        self.with_credential_check().integration
    }
}

/// One registration method per capability, from the capability table: `.list_accounts()`
/// compiles only when the connector implements [`capability::ListAccounts`].
macro_rules! registrations {
    ($(
        $Name:ident = $wire:literal {
            fn $method:ident($Args:ident) -> $kind:ident $Out:ident;
            envelopes $Req:ident, $Resp:ident;
            group $group:ident; since $since:ident; summary $summary:literal;
        }
    )+) => {
        impl<C: Connector> IntegrationBuilder<C> {
            $(
                #[doc = concat!(
                    "Registers `", $wire, "` (", $summary, "): the connector must implement [`capability::",
                    stringify!($Name), "`]."
                )]
                #[must_use]
                pub fn $method(self) -> Self
                where
                    C: capability::$Name,
                {
                    self.register_trait::<marker::$Name>()
                }
            )+
        }
    };
}

crate::table::for_each_capability!(registrations);
