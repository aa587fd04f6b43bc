//! Protocol 4's validation of a request envelope, in 4.x's order: the whole envelope's shape
//! first (every malformed field named in one message), then the credential (`auth` or
//! `credentials`), then the settings.

use serde_json::{Map, Value};

use super::Integration;
use super::dispatch::{Rejection, SettingsShape, at, json_kind};
use super::handler::{ErasedHandler, ParsedCall, PayloadError, from_value_with_path};
use crate::capability::Connector;
use crate::redact::Secrets;
use crate::wire::{AuthCredential, Page, RateLimitRequestInfo};

/// What the shape check gives the later stages.
pub(super) struct Shaped<'h, C: Connector> {
    pub(super) call: Box<dyn ParsedCall<C> + 'h>,
    pub(super) page: Page,
    pub(super) include_raw_data: bool,
    pub(super) auth: Option<AuthCredential>,
    pub(super) credentials: Option<Vec<AuthCredential>>,
    pub(super) rate_limit: Option<RateLimitRequestInfo>,
}

/// Stage 1 of protocol 4: the envelope parses as the capability's request model. Every field
/// that does not is named, in one `Invalid request - …` message.
pub(super) fn shape<'h, C: Connector>(
    envelope: &Map<String, Value>,
    handler: &'h dyn ErasedHandler<C>,
    secrets: &mut Secrets,
) -> Result<Shaped<'h, C>, Rejection> {
    let mut problems = Vec::new();

    // The credentials first: their secrets must be known before any message is written.
    let auth = match envelope.get("auth") {
        None | Some(Value::Null) => None,
        Some(value) => kept(
            &mut problems,
            "auth",
            from_value_with_path::<AuthCredential>(value).inspect(|auth| secrets.add_auth(auth)),
        ),
    };
    let credentials = match envelope.get("credentials") {
        None | Some(Value::Null) => None,
        Some(value) => kept(
            &mut problems,
            "credentials",
            from_value_with_path::<Vec<AuthCredential>>(value)
                .inspect(|list| list.iter().for_each(|auth| secrets.add_auth(auth))),
        ),
    };
    let call = match envelope.get("request") {
        None => {
            problems.push("request: missing field `request`".to_owned());
            None
        }
        Some(payload) => {
            secrets.add_secret_keys(payload);
            kept(&mut problems, "request", handler.parse(payload))
        }
    };
    let optional = |name: &str| envelope.get(name).filter(|value| !value.is_null());
    let page = optional("page")
        .and_then(|value| kept(&mut problems, "page", from_value_with_path::<Page>(value)));
    let include_raw_data = optional("include_raw_data").and_then(|value| {
        kept(
            &mut problems,
            "include_raw_data",
            from_value_with_path::<bool>(value),
        )
    });
    let rate_limit = optional("rate_limit").and_then(|value| {
        kept(
            &mut problems,
            "rate_limit",
            from_value_with_path::<RateLimitRequestInfo>(value),
        )
    });
    if let Some(settings) = optional("settings")
        && !settings.is_object()
    {
        problems.push(format!(
            "settings: expected an object, not {}",
            json_kind(settings)
        ));
    }
    match call {
        Some(call) if problems.is_empty() => Ok(Shaped {
            call,
            page: page.unwrap_or_default(),
            include_raw_data: include_raw_data.unwrap_or(false),
            auth,
            credentials,
            rate_limit,
        }),
        _ => Err(Rejection::bad_request(
            secrets.scrub(&format!("Invalid request - {}", problems.join("; "))),
        )),
    }
}

/// The value of a field that parsed; a field that did not is noted among the problems.
fn kept<T>(problems: &mut Vec<String>, name: &str, parsed: Result<T, PayloadError>) -> Option<T> {
    parsed.map_err(|error| problems.push(at(name, &error))).ok()
}

impl<C: Connector> Integration<C> {
    /// Stage 2 of protocol 4: the credential, from `auth` or `credentials` (never both).
    ///
    /// A connector declares one credential per accepted kind, its id the kind's name
    /// (`basic`, `token`, …): a `credentials` list names them by id.
    pub(super) fn credential_v4(
        &self,
        auth: Option<AuthCredential>,
        credentials: Option<Vec<AuthCredential>>,
    ) -> Result<AuthCredential, Rejection> {
        match (auth, credentials) {
            (Some(_), Some(_)) => Err(Rejection::bad_request(
                "Cannot pass credentials and auth in the same request, if you've meant to make \
                 this connector multi-auth compatible, please remove the auth field."
                    .to_owned(),
            )),
            (None, None) => Err(Rejection::bad_request(
                "Missing auth/credentials in request".to_owned(),
            )),
            (Some(auth), None) => self.accept_auth(auth).map_err(Rejection::bad_request),
            (None, Some(list)) => self.pick_credential(list),
        }
    }

    fn pick_credential(&self, list: Vec<AuthCredential>) -> Result<AuthCredential, Rejection> {
        if list.is_empty() {
            return Err(Rejection::bad_request(
                "Missing credentials in request".to_owned(),
            ));
        }
        for (index, entry) in list.iter().enumerate() {
            let Some(id) = entry.id.as_deref() else {
                return Err(Rejection::bad_request(format!(
                    "Missing ID in credential at index {index}"
                )));
            };
            if !self.auth_kinds.iter().any(|kind| kind.field() == id) {
                return Err(Rejection::bad_request(format!(
                    "Credential with id '{id}' not expected"
                )));
            }
        }
        // Each declared credential alone satisfies the connector: the first complete one wins.
        for kind in &self.auth_kinds {
            if let Some(entry) = list
                .iter()
                .find(|entry| entry.id.as_deref() == Some(kind.field()) && kind.is_present(entry))
            {
                return Ok(entry.clone());
            }
        }
        let first = self.auth_kinds.first().map_or("", |kind| kind.field());
        Err(Rejection::bad_request(format!(
            "Missing '{first}' credential in request"
        )))
    }
}

/// Stage 3 of protocol 4: the settings' message when they do not parse: the required settings
/// that are absent, by title, else what is wrong and where.
pub(super) fn settings_problem(
    shape: &SettingsShape,
    value: &Value,
    error: &PayloadError,
) -> String {
    let missing: Vec<&str> = shape
        .required_titles
        .iter()
        .filter(|(name, _)| value.get(name.as_str()).is_none())
        .map(|(_, title)| title.as_str())
        .collect();
    if missing.is_empty() {
        format!(
            "Invalid settings passed on request. {}",
            at("settings", error)
        )
    } else {
        format!(
            "Invalid settings passed on request. Missing required settings: {}",
            missing.join(", ")
        )
    }
}
