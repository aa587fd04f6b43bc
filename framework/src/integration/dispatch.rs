//! Dispatch: the protocol's validation order, then the handler, then the envelope.

use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;

use futures::FutureExt;
use serde_json::{Map, Value};

use super::Integration;
use super::handler::{ErasedHandler, ParsedCall, PayloadError, Produced, from_value_with_path};
use crate::capability::Connector;
use crate::redact::Secrets;
use crate::wire::{
    AuthCredential, CapabilityName, ErrorCode, ErrorResponse, Json, Page, Protocol, Response,
};
use crate::{ConnectorError, Context};

/// A custom capability's success envelope in 4.x's key order for it (`rate_limit` and
/// `execution_summary` always present, null unless set).
#[derive(serde::Serialize)]
struct CustomOrder<'a> {
    page: &'a Option<Page>,
    raw_data: &'a Option<Value>,
    execution_summary: Option<&'a crate::wire::ExecutionSummary>,
    rate_limit: Option<&'a crate::wire::RateLimitResponseInfo>,
    response: &'a Json,
}

impl<'a> CustomOrder<'a> {
    fn of(response: &'a Response<Json>) -> Self {
        Self {
            page: &response.page,
            raw_data: &response.raw_data,
            execution_summary: response.execution_summary.value(),
            rate_limit: response.rate_limit.value(),
            response: &response.response,
        }
    }
}

/// The capability a dispatch runs: a standard one, or a custom one by its name.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target<'a> {
    Standard(CapabilityName),
    Custom(&'a str),
}

impl<'a> Target<'a> {
    pub(super) fn name(self) -> &'a str {
        match self {
            Self::Standard(capability) => capability.as_str(),
            Self::Custom(name) => name,
        }
    }

    fn standard(self) -> Option<CapabilityName> {
        match self {
            Self::Standard(capability) => Some(capability),
            Self::Custom(_) => None,
        }
    }
}

/// The outcome of a dispatch: a success envelope or an error envelope.
///
/// ```
/// use connector_sdk::Envelope;
/// use connector_sdk::wire::Response;
///
/// let ok = Envelope::Success(Response::new(serde_json::json!({"valid": true}).into()));
/// assert_eq!(ok.to_json(), r#"{"response":{"valid":true},"raw_data":null,"page":null}"#);
/// assert!(!ok.is_error());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    /// `{"response":…,"raw_data":…,"page":…}`
    Success(Response<Json>),
    /// `{"is_error":true,"error":{…},"raw_data":null,"page":null}`
    Error(ErrorResponse),
    /// A custom capability's success (protocol 4), whose keys 4.x writes in another order:
    /// `{"page":…,"raw_data":…,"execution_summary":…,"rate_limit":…,"response":…}`.
    Custom(Response<Json>),
}

impl Envelope {
    /// Whether this is an error envelope.
    pub fn is_error(&self) -> bool {
        matches!(self, Self::Error(_))
    }

    /// The compact JSON document, as a connector prints it (without the trailing newline).
    ///
    /// Written straight from the envelope (no intermediate [`Value`] copy of the response, which
    /// is most of `serve`'s cost per large page); the same text as `to_value().to_string()`.
    pub fn to_json(&self) -> String {
        let written = match self {
            Self::Success(response) => serde_json::to_string(response),
            Self::Error(error) => serde_json::to_string(error),
            Self::Custom(response) => serde_json::to_string(&CustomOrder::of(response)),
        };
        written.unwrap_or_else(|_| self.to_value().to_string())
    }

    /// The envelope as a JSON value.
    pub fn to_value(&self) -> Value {
        let value = match self {
            Self::Success(response) => serde_json::to_value(response),
            Self::Error(error) => serde_json::to_value(error),
            Self::Custom(response) => serde_json::to_value(CustomOrder::of(response)),
        };
        // Both are trees of strings, numbers and string-keyed maps; should one ever fail, the
        // answer is an error envelope that says so, never an empty document.
        value.unwrap_or_else(|e| {
            serde_json::json!({
                "is_error": true,
                "error": {
                    "message": format!("The envelope could not be serialized: {e}"),
                    "status_code": null,
                    "app_error_code": null,
                    "error_code": ErrorCode::UnexpectedError.as_str(),
                    "app_id": "",
                    "raised_by": "serde_json::Error",
                    "raised_in": null,
                },
                "raw_data": null,
                "page": null,
            })
        })
    }

    /// The error code, for an error envelope.
    pub fn error_code(&self) -> Option<ErrorCode> {
        match self {
            Self::Success(_) | Self::Custom(_) => None,
            Self::Error(error) => Some(error.error.error_code),
        }
    }
}

/// Protocol 4's own capability: the connector's OpenAPI document. No auth, no settings.
pub(crate) const APP_INFO: &str = "app_info";

/// The most bytes of a request document that the debug log shows.
const LOG_LIMIT: usize = 4096;

/// What dispatch learns once about the settings type.
#[derive(Debug)]
pub(crate) struct SettingsShape {
    /// The required fields and their titles, in declaration order (protocol 4 names the
    /// missing ones by title).
    pub(crate) required_titles: Vec<(String, String)>,
    /// The settings type's name, for messages.
    pub(crate) name: String,
    /// Fields whose values are secrets.
    pub(crate) secret_fields: Vec<String>,
}

impl SettingsShape {
    /// Whether the settings type has required fields (then `settings` must be sent).
    pub(crate) fn has_required(&self) -> bool {
        !self.required_titles.is_empty()
    }
}

pub(crate) fn settings_shape<S: schemars::JsonSchema>(
    cache: &OnceLock<SettingsShape>,
) -> &SettingsShape {
    cache.get_or_init(|| {
        let schema = schemars::schema_for!(S);
        let value = schema.as_value();
        let secret_fields = value
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .filter(|(_, p)| super::info::is_secret_property(p))
                    .map(|(name, _)| name.clone())
                    .collect()
            })
            .unwrap_or_default();
        let form = super::info::schema_of::<S>();
        let properties = form.get("properties").and_then(Value::as_object);
        let required_titles = form
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|name| {
                let title = properties
                    .and_then(|props| props.get(name))
                    .and_then(|prop| prop.get("title"))
                    .and_then(Value::as_str)
                    .map_or_else(|| name.to_owned(), str::to_owned);
                (name.to_owned(), title)
            })
            .collect();
        SettingsShape {
            required_titles,
            name: S::schema_name().into_owned(),
            secret_fields,
        }
    })
}

pub(super) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn at(prefix: &str, error: &PayloadError) -> String {
    if error.path == "." || error.path.is_empty() {
        format!("{prefix}: {}", error.message)
    } else if error.path.starts_with('[') {
        format!("{prefix}{}: {}", error.path, error.message)
    } else {
        format!("{prefix}.{}: {}", error.path, error.message)
    }
}

impl<C: Connector> Integration<C> {
    /// Runs a capability on a request document, in process, exactly as the CLI would.
    ///
    /// Never panics and never fails: every problem becomes an error envelope. The call ends
    /// by its deadline ([`super::IntegrationBuilder::deadline`]), so it must run on a Tokio
    /// runtime with timers enabled (`enable_all()`, as [`crate::cli::run`] builds).
    ///
    /// It speaks the integration's protocol ([`Integration::protocol`]);
    /// [`Integration::dispatch_as`] speaks the one given.
    pub async fn dispatch(&self, capability: &str, request: &str) -> Envelope {
        self.dispatch_as(self.protocol(), capability, request).await
    }

    /// [`Integration::dispatch`] in the given protocol version.
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, Protocol, capability::Connector};
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0").build();
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// let old = runtime.block_on(integration.dispatch_as(Protocol::V3_7_8, "list_accounts", "{}"));
    /// assert!(old.to_json().contains(r#""error_code":"not_implemented""#));
    /// let new = runtime.block_on(integration.dispatch_as(Protocol::V4, "list_accounts", "{}"));
    /// assert!(new.to_json().contains(r#""error_code":"unsupported_operation""#));
    /// assert!(new.to_json().contains(r#""error_metadata":{"fault":"connector""#));
    /// ```
    pub async fn dispatch_as(
        &self,
        protocol: Protocol,
        capability: &str,
        request: &str,
    ) -> Envelope {
        if protocol == Protocol::V4 && capability == APP_INFO {
            return self.app_info(request);
        }
        if protocol == Protocol::V4
            && let Some(registered) = self.custom.get(capability)
        {
            return match serde_json::from_str::<Value>(request) {
                Ok(value) => {
                    let target = Target::Custom(capability);
                    self.run_registered(protocol, target, registered, value, None)
                        .await
                }
                Err(error) => self.reject(
                    protocol,
                    ErrorCode::BadRequest,
                    format!("Invalid request - the request is not valid JSON: {error}"),
                ),
            };
        }
        let Some(name) = capability
            .parse::<CapabilityName>()
            .ok()
            .filter(|name| self.is_registered_in(*name, protocol))
        else {
            return self.reject(
                protocol,
                ErrorCode::NotImplemented,
                format!("Capability '{capability}' is not implemented."),
            );
        };
        match serde_json::from_str::<Value>(request) {
            Ok(value) => self.dispatch_value_as(protocol, name, value).await,
            Err(error) => self.reject(
                protocol,
                ErrorCode::BadRequest,
                format!("Invalid request - the request is not valid JSON: {error}"),
            ),
        }
    }

    /// Runs a capability on a parsed request document, in the integration's protocol.
    pub async fn dispatch_value(&self, capability: CapabilityName, request: Value) -> Envelope {
        self.dispatch_value_as(self.protocol(), capability, request)
            .await
    }

    /// Runs a capability on a parsed request document, in the given protocol version.
    pub async fn dispatch_value_as(
        &self,
        protocol: Protocol,
        capability: CapabilityName,
        request: Value,
    ) -> Envelope {
        self.dispatch_traced(protocol, capability, request, None)
            .await
    }

    /// Runs a capability on a request document, as [`Self::dispatch_bytes`] does, and records
    /// the call into `dir` (see [`crate::record`]). The envelope is the one the call gives
    /// without recording; what the recording did (or why it failed) is the returned text, for
    /// stderr.
    pub(crate) async fn dispatch_recorded(
        &self,
        protocol: Protocol,
        capability: CapabilityName,
        request: &[u8],
        dir: &std::path::Path,
    ) -> (Envelope, String) {
        let parsed = std::str::from_utf8(request)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .filter(|_| self.is_registered_in(capability, protocol));
        let Some(value) = parsed else {
            let envelope = self
                .dispatch_bytes_as(protocol, capability.as_str(), request)
                .await;
            return (
                envelope,
                "warning: not recorded: the request is not a JSON document".to_owned(),
            );
        };
        let session = std::sync::Arc::new(crate::record::Session::default());
        let envelope = self
            .dispatch_traced(
                protocol,
                capability,
                value.clone(),
                Some(std::sync::Arc::clone(&session)),
            )
            .await;
        let shape = settings_shape::<C::Settings>(&self.settings_shape);
        let printed = envelope.to_value();
        let call = crate::record::Call {
            capability,
            request: &value,
            secret_fields: &shape.secret_fields,
            session: &session,
            envelope: &printed,
        };
        let note = match crate::record::write(dir, &self.record, &call) {
            Ok((_, summary)) => summary,
            Err(problem) => format!("warning: the recording was not written: {problem}"),
        };
        (envelope, note)
    }

    async fn dispatch_traced(
        &self,
        protocol: Protocol,
        capability: CapabilityName,
        request: Value,
        recorder: Option<std::sync::Arc<crate::record::Session>>,
    ) -> Envelope {
        let started = std::time::Instant::now();
        let envelope = self
            .dispatch_inner(protocol, capability, request, recorder)
            .await;
        match envelope.error_code() {
            None => tracing::info!(
                app_id = %self.app_id, %capability,
                duration_ms = started.elapsed().as_millis() as u64,
                "capability succeeded"
            ),
            Some(code) => tracing::warn!(
                app_id = %self.app_id, %capability, error_code = %code,
                duration_ms = started.elapsed().as_millis() as u64,
                "capability failed"
            ),
        }
        envelope
    }

    /// The protocol's order: a JSON object → `auth` → the payload and the envelope's own
    /// fields → `settings`; then the handler, within the call's deadline.
    async fn dispatch_inner(
        &self,
        protocol: Protocol,
        capability: CapabilityName,
        request: Value,
        recorder: Option<std::sync::Arc<crate::record::Session>>,
    ) -> Envelope {
        if protocol == Protocol::V4 && self.sdk_probes_as(capability) {
            return self.probe(request).await;
        }
        let registered = self
            .capabilities
            .get(&capability)
            .filter(|_| capability.exists_in(protocol));
        let Some(registered) = registered else {
            let message = format!("Capability '{capability}' is not implemented.");
            return self.reject(protocol, ErrorCode::NotImplemented, message);
        };
        self.run_registered(
            protocol,
            Target::Standard(capability),
            registered,
            request,
            recorder,
        )
        .await
    }

    /// Stages 1–6 for a registered capability, standard or custom, then its handler.
    pub(super) async fn run_registered(
        &self,
        protocol: Protocol,
        target: Target<'_>,
        registered: &super::Registered<C>,
        request: Value,
        recorder: Option<std::sync::Arc<crate::record::Session>>,
    ) -> Envelope {
        let name = target.name();
        let mut secrets = Secrets::default();
        let staged = (|| {
            let mut credentials = None;
            let envelope = object(request)?;
            let (call, auth, page, include_raw_data, rate_limit) = match protocol {
                Protocol::V3_7_8 => {
                    let auth = self.credential(
                        &envelope,
                        registered.handler.authenticated(),
                        &mut secrets,
                    )?;
                    let call = payload(&envelope, &*registered.handler, &mut secrets)?;
                    let (page, include_raw_data) = envelope_fields(&envelope)?;
                    (call, auth, page, include_raw_data, None)
                }
                Protocol::V4 => {
                    let shaped = super::v4::shape(&envelope, &*registered.handler, &mut secrets)?;
                    let accepted = if registered.handler.authenticated() {
                        Some(self.credential_v4(shaped.auth, shaped.credentials)?)
                    } else {
                        None
                    };
                    let (auth, list) = match accepted {
                        Some(accepted) => (Some(accepted.primary), accepted.list),
                        None => (None, None),
                    };
                    credentials = list;
                    (
                        shaped.call,
                        auth,
                        shaped.page,
                        shaped.include_raw_data,
                        shaped.rate_limit,
                    )
                }
            };
            let settings = self.settings(protocol, &envelope, name, &mut secrets)?;
            let ctx = Context::new(settings, auth)
                .with_credentials(credentials)
                .with_integration(&self.app_id, &self.version, self.retry.clone())
                .with_deadline(crate::http::call_budget(self.deadline))
                .with_capability(target.standard())
                .with_protocol(protocol)
                .with_rate_limit(rate_limit)
                .with_page(page.token, page.size)
                .with_include_raw_data(include_raw_data)
                .with_recorder(recorder);
            Ok::<_, Rejection>((call, ctx))
        })();
        let (call, ctx) = match staged {
            Ok(staged) => staged,
            Err(rejection) => return self.reject(protocol, rejection.code, rejection.message),
        };
        match run_within_deadline(call.call(&self.connector, &ctx), &ctx).await {
            Ok(produced) => {
                let response = Response {
                    raw_data: ctx.take_raw_data(),
                    page: produced.page,
                    execution_summary: produced
                        .execution_summary
                        .map_or(crate::wire::Added::Absent, crate::wire::Added::Value),
                    ..Response::new(match target {
                        Target::Standard(capability) => {
                            self.connected(capability, produced.response)
                        }
                        Target::Custom(_) => produced.response,
                    })
                };
                let response = match protocol {
                    Protocol::V3_7_8 => response,
                    Protocol::V4 => Response {
                        rate_limit: ctx
                            .rate_limit_state()
                            .map_or(crate::wire::Added::Null, crate::wire::Added::Value),
                        ..response
                    }
                    .in_protocol_4(),
                };
                match target {
                    Target::Custom(_) if protocol == Protocol::V4 => Envelope::Custom(response),
                    _ => Envelope::Success(response),
                }
            }
            Err(error) => {
                let error = self.classify(error);
                Envelope::Error(ErrorResponse::new(self.wire_error(
                    protocol,
                    name,
                    &registered.module,
                    &error,
                    &secrets,
                )))
            }
        }
    }

    /// Stage 2: the credential, when the capability needs one.
    fn credential(
        &self,
        envelope: &Map<String, Value>,
        authenticated: bool,
        secrets: &mut Secrets,
    ) -> Result<Option<AuthCredential>, Rejection> {
        if !authenticated {
            return Ok(None);
        }
        let auth = self.check_auth(envelope).map_err(Rejection::bad_request)?;
        secrets.add_auth(&auth);
        Ok(Some(auth))
    }

    /// Stage 5: the settings, typed; the request is logged (redacted) once they are known.
    fn settings(
        &self,
        protocol: Protocol,
        envelope: &Map<String, Value>,
        capability: &str,
        secrets: &mut Secrets,
    ) -> Result<C::Settings, Rejection> {
        let shape = settings_shape::<C::Settings>(&self.settings_shape);
        let value = match envelope.get("settings") {
            None | Some(Value::Null) if shape.has_required() => {
                return Err(Rejection::bad_request(format!(
                    "No settings passed on request: {} requires {}",
                    self.app_id, shape.name
                )));
            }
            None | Some(Value::Null) => std::borrow::Cow::Owned(Value::Object(Map::new())),
            Some(value @ Value::Object(_)) => std::borrow::Cow::Borrowed(value),
            Some(other) => {
                return Err(Rejection::bad_request(format!(
                    "Invalid settings passed on request - settings: expected an object, not {}",
                    json_kind(other)
                )));
            }
        };
        secrets.add_fields(&value, &shape.secret_fields);
        secrets.add_urls(&value);
        if tracing::enabled!(tracing::Level::DEBUG) {
            let mut logged = envelope.clone();
            if logged.contains_key("auth") {
                logged.insert("auth".into(), Value::String(crate::redact::REDACTED.into()));
            }
            let text = crate::redact::json(&Value::Object(logged)).to_string();
            let text = secrets.clean(&text, LOG_LIMIT);
            tracing::debug!(%capability, request = %text, "request");
        }
        from_value_with_path(&value).map_err(|error| {
            let message = match protocol {
                Protocol::V3_7_8 => format!(
                    "Invalid settings passed on request - {}",
                    at("settings", &error)
                ),
                Protocol::V4 => super::v4::settings_problem(shape, &value, &error),
            };
            Rejection::bad_request(secrets.scrub(&message))
        })
    }

    /// Checks `auth` against the accepted kinds; the error is the envelope's message.
    pub(super) fn check_auth(
        &self,
        envelope: &Map<String, Value>,
    ) -> Result<AuthCredential, String> {
        let value = match envelope.get("auth") {
            None | Some(Value::Null) => return Err("Missing auth in request".to_owned()),
            Some(value) => value,
        };
        let auth: AuthCredential = from_value_with_path(value)
            .map_err(|error| format!("Malformed auth in request - {}", at("auth", &error)))?;
        self.accept_auth(auth)
    }

    /// Accepts a parsed `auth` that carries one of the accepted kinds; the error is the
    /// envelope's message.
    pub(super) fn accept_auth(&self, auth: AuthCredential) -> Result<AuthCredential, String> {
        if self.auth_kinds.iter().any(|kind| kind.is_present(&auth)) {
            return Ok(auth);
        }
        Err(match self.auth_kinds.as_slice() {
            [] => "Missing auth in request: this connector accepts no credentials".to_owned(),
            [kind] => format!("Missing '{}' auth in request", kind.field()),
            kinds => format!(
                "Missing auth in request: expected one of {}",
                kinds
                    .iter()
                    .map(|k| format!("'{}'", k.field()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }

    /// Protocol 4's `app_info`: `request` must be an object; nothing else is checked.
    fn app_info(&self, request: &str) -> Envelope {
        let protocol = Protocol::V4;
        let problem = match serde_json::from_str::<Value>(request) {
            Err(error) => Some(format!("the request is not valid JSON: {error}")),
            Ok(Value::Object(envelope)) => match envelope.get("request") {
                None => Some("request: missing field `request`".to_owned()),
                Some(Value::Object(_)) => None,
                Some(other) => Some(format!(
                    "request: expected an object, not {}",
                    json_kind(other)
                )),
            },
            Ok(other) => Some(format!(
                "the request must be a JSON object, not {}",
                json_kind(&other)
            )),
        };
        if let Some(problem) = problem {
            return self.reject(
                protocol,
                ErrorCode::BadRequest,
                format!("Invalid request - {problem}"),
            );
        }
        let answer = serde_json::json!({"app_id": self.app_id, "app_schema": self.app_schema()});
        Envelope::Success(Response::new(answer.into()).in_protocol_4())
    }

    pub(super) fn reject(&self, protocol: Protocol, code: ErrorCode, message: String) -> Envelope {
        Envelope::Error(ErrorResponse::new(
            self.request_error(protocol, code, message),
        ))
    }
}

/// Why a request is refused before its handler runs.
#[derive(Debug)]
pub(super) struct Rejection {
    code: ErrorCode,
    message: String,
}

impl Rejection {
    pub(super) fn bad_request(message: String) -> Self {
        Self {
            code: ErrorCode::BadRequest,
            message,
        }
    }
}

/// Stage 1: the request is a JSON object.
fn object(request: Value) -> Result<Map<String, Value>, Rejection> {
    match request {
        Value::Object(envelope) => Ok(envelope),
        other => Err(Rejection::bad_request(format!(
            "Invalid request - the request must be a JSON object, not {}",
            json_kind(&other)
        ))),
    }
}

/// Stage 3: the `request` payload, typed for the capability.
fn payload<'h, C: Connector>(
    envelope: &Map<String, Value>,
    handler: &'h dyn ErasedHandler<C>,
    secrets: &mut Secrets,
) -> Result<Box<dyn ParsedCall<C> + 'h>, Rejection> {
    let payload = envelope.get("request").ok_or_else(|| {
        Rejection::bad_request("Invalid request - missing field `request`".into())
    })?;
    secrets.add_secret_keys(payload);
    handler.parse(payload).map_err(|error| {
        Rejection::bad_request(format!("Invalid request - {}", at("request", &error)))
    })
}

/// Stage 4: the envelope's own fields, `page` and `include_raw_data`.
fn envelope_fields(envelope: &Map<String, Value>) -> Result<(Page, bool), Rejection> {
    fn field<T: serde::de::DeserializeOwned>(
        envelope: &Map<String, Value>,
        name: &str,
    ) -> Result<Option<T>, Rejection> {
        match envelope.get(name).map(from_value_with_path::<Option<T>>) {
            None => Ok(None),
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => Err(Rejection::bad_request(format!(
                "Invalid request - {}",
                at(name, &error)
            ))),
        }
    }
    let page = field::<Page>(envelope, "page")?.unwrap_or_default();
    let include_raw_data = field::<bool>(envelope, "include_raw_data")?.unwrap_or(false);
    Ok((page, include_raw_data))
}

/// Runs the handler until the call's deadline; a panic is an `unexpected_error`.
async fn run_within_deadline<S>(
    call: impl std::future::Future<Output = Result<Produced, ConnectorError>>,
    ctx: &Context<S>,
) -> Result<Produced, ConnectorError> {
    let guarded = AssertUnwindSafe(call).catch_unwind();
    match tokio::time::timeout_at(ctx.deadline().into(), guarded).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(panic)) => Err(panic_error(panic.as_ref())),
        Err(_) => Err(deadline_error(ctx.deadline_budget())),
    }
}

fn deadline_error(budget: std::time::Duration) -> ConnectorError {
    ConnectorError::request_timeout(format!(
        "The capability did not finish within the call's deadline of {:.1} s (set per \
         integration, or by {})",
        budget.as_secs_f64(),
        crate::http::DEADLINE_ENV
    ))
}

fn panic_error(panic: &(dyn std::any::Any + Send)) -> ConnectorError {
    let detail = crate::error::panic_message(panic);
    ConnectorError::unexpected(format!("The capability panicked: {detail}"))
        .with_raised_by("panic".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Response;

    #[test]
    fn to_json_writes_what_to_value_prints() {
        let page = serde_json::json!({"token": "t-1", "size": 2});
        let response = Response {
            raw_data: Some(serde_json::json!([{"n": 1.5, "s": "é\"\n"}])),
            page: serde_json::from_value(page).unwrap(),
            ..Response::new(serde_json::json!([
                {"integration_specific_id": "u-1", "email": null, "nested": {"b": 2, "a": [1, -3]}},
                {"integration_specific_id": "u-2", "unicode": "\u{1F600}", "big": 18446744073709551615_u64}
            ]))
        };
        // The answer as a value, and as the text dispatch writes from a handler's types.
        let parsed = Response {
            response: Json::from(response.response.clone()),
            raw_data: response.raw_data.clone(),
            page: response.page.clone(),
            ..Response::new(Json::from(Value::Null))
        };
        let written = Response {
            response: Json::write(&response.response).unwrap(),
            ..parsed.clone()
        };
        for response in [parsed, written] {
            let envelopes = [
                Envelope::Success(response.clone()),
                Envelope::Success(response.clone().in_protocol_4()),
                Envelope::Custom(response.in_protocol_4()),
            ];
            for envelope in envelopes {
                assert_eq!(envelope.to_json(), envelope.to_value().to_string());
            }
        }
    }
}
