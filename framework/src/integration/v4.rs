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

/// The credentials a request carries, once accepted: the one a single-credential handler reads
/// (`ctx.basic()`, the HTTP client's), and the `credentials` list when the request sent one.
pub(super) struct Accepted {
    pub(super) primary: AuthCredential,
    pub(super) list: Option<Vec<AuthCredential>>,
}

impl<C: Connector> Integration<C> {
    /// Stage 2 of protocol 4: the credential, from `auth` or `credentials` (never both).
    ///
    /// A `credentials` list names the declared credentials by id (a credential declared with
    /// `.auth(kind)` is named by its kind); it must satisfy one of the allowed combinations.
    pub(super) fn credential_v4(
        &self,
        auth: Option<AuthCredential>,
        credentials: Option<Vec<AuthCredential>>,
    ) -> Result<Accepted, Rejection> {
        match (auth, credentials) {
            (Some(_), Some(_)) => Err(Rejection::bad_request(
                "Cannot pass credentials and auth in the same request, if you've meant to make \
                 this connector multi-auth compatible, please remove the auth field."
                    .to_owned(),
            )),
            (None, None) => Err(Rejection::bad_request(
                "Missing auth/credentials in request".to_owned(),
            )),
            (Some(auth), None) => self
                .accept_auth(auth)
                .map(|primary| Accepted {
                    primary,
                    list: None,
                })
                .map_err(Rejection::bad_request),
            (None, Some(list)) => self.pick_credentials(list),
        }
    }

    /// 4.x's checks of a `credentials` list, in its order: not empty; every entry has an id
    /// and a declared one (the first bad entry wins); then one allowed combination is
    /// satisfied, else the one with the fewest missing credentials names their kinds.
    fn pick_credentials(&self, list: Vec<AuthCredential>) -> Result<Accepted, Rejection> {
        if list.is_empty() {
            return Err(Rejection::bad_request(
                "Missing credentials in request".to_owned(),
            ));
        }
        let declared = self.declared_credentials();
        for (index, entry) in list.iter().enumerate() {
            let Some(id) = entry.id.as_deref() else {
                return Err(Rejection::bad_request(format!(
                    "Missing ID in credential at index {index}"
                )));
            };
            if !declared.iter().any(|d| d.id == id) {
                return Err(Rejection::bad_request(format!(
                    "Credential with id '{id}' not expected"
                )));
            }
        }
        let complete = |entry: &AuthCredential| {
            declared
                .iter()
                .find(|d| entry.id.as_deref() == Some(d.id.as_str()))
                .is_some_and(|d| d.kind.is_present(entry))
        };
        // One entry per id, in order of first appearance; a complete entry replaces an
        // incomplete one of the same id.
        let mut unique: Vec<AuthCredential> = Vec::with_capacity(list.len());
        for entry in list {
            match unique.iter_mut().find(|kept| kept.id == entry.id) {
                Some(kept) if !complete(kept) && complete(&entry) => *kept = entry,
                Some(_) => {}
                None => unique.push(entry),
            }
        }
        let is_complete = |id: &str| {
            unique
                .iter()
                .any(|entry| entry.id.as_deref() == Some(id) && complete(entry))
        };
        let mut fewest: Option<Vec<&str>> = None;
        for tuple in self.credential_combinations() {
            let members: Vec<&super::Declared> = tuple
                .iter()
                .filter_map(|id| declared.iter().find(|d| &d.id == id))
                .collect();
            let mut missing: Vec<&str> = members
                .iter()
                .filter(|d| !d.optional && !is_complete(&d.id))
                .map(|d| d.kind.field())
                .collect();
            let any = members.iter().any(|d| is_complete(&d.id));
            if missing.is_empty() && any {
                let primary = declared
                    .iter()
                    .find_map(|d| {
                        unique
                            .iter()
                            .find(|e| e.id.as_deref() == Some(d.id.as_str()) && complete(e))
                    })
                    .cloned()
                    .unwrap_or_default();
                return Ok(Accepted {
                    primary,
                    list: Some(unique),
                });
            }
            if missing.is_empty() {
                missing = members.iter().map(|d| d.kind.field()).collect();
            }
            if fewest.as_ref().is_none_or(|f| missing.len() < f.len()) {
                fewest = Some(missing);
            }
        }
        Err(Rejection::bad_request(format!(
            "Missing '{}' credential in request",
            fewest.unwrap_or_default().join(", ")
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
