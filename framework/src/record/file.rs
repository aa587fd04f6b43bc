//! Writing a recording: the raw exchanges of a call made into a scrubbed [`Recording`] file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::personal::{MAPPING_FILE, Mapping};
use super::session::RawExchange;
use super::{Exchange, FORMAT, RecordOptions, Recording, Session, scrub};
use crate::redact::{self, REDACTED, Secrets};
use crate::wire::{AuthCredential, CapabilityName};

/// Answer headers worth keeping: what connectors read (paging, rate limits, links).
fn keeps_response_header(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "content-type",
        "link",
        "location",
        "etag",
        "retry-after",
        "last-modified",
        "www-authenticate",
    ];
    const PARTS: &[&str] = &[
        "ratelimit",
        "rate-limit",
        "page",
        "cursor",
        "total",
        "count",
        "next",
    ];
    EXACT.contains(&name) || PARTS.iter().any(|part| name.contains(part))
}

/// Request headers that say nothing about the call.
fn skips_request_header(name: &str) -> bool {
    matches!(
        name,
        "content-length" | "host" | "accept-encoding" | "connection"
    )
}

/// `path?query` of a URL, with the values of secret-looking parameters redacted.
fn path_and_query(url: &url::Url) -> String {
    let mut text = url.path().to_owned();
    if let Some(query) = url.query() {
        let secret = url
            .query_pairs()
            .any(|(key, _)| scrub::is_credential_key(&key) || key.eq_ignore_ascii_case("code"));
        text.push('?');
        if secret {
            let pairs: Vec<String> = url
                .query_pairs()
                .map(|(key, value)| {
                    let value =
                        if scrub::is_credential_key(&key) || key.eq_ignore_ascii_case("code") {
                            REDACTED.to_owned()
                        } else {
                            value.into_owned()
                        };
                    let encode = |t: &str| -> String {
                        url::form_urlencoded::byte_serialize(t.as_bytes()).collect()
                    };
                    format!(
                        "{}={}",
                        encode(&key),
                        encode(&value).replace("%5BREDACTED%5D", REDACTED)
                    )
                })
                .collect();
            text.push_str(&pairs.join("&"));
        } else {
            text.push_str(query);
        }
    }
    text
}

/// A body as JSON when it is JSON, else as text (a form with secret fields redacted).
fn body(bytes: &[u8], form: bool) -> (Option<Value>, Option<String>) {
    if bytes.is_empty() {
        return (None, None);
    }
    if let Ok(json) = serde_json::from_slice::<Value>(bytes) {
        return (Some(json), None);
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    if form {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(text.as_bytes())
            .map(|(key, value)| {
                let value = if scrub::is_credential_key(&key) || key.eq_ignore_ascii_case("code") {
                    REDACTED.to_owned()
                } else {
                    value.into_owned()
                };
                (key.into_owned(), value)
            })
            .collect();
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        out.extend_pairs(pairs);
        return (None, Some(out.finish().replace("%5BREDACTED%5D", REDACTED)));
    }
    (None, Some(text))
}

fn exchange(raw: &RawExchange) -> Exchange {
    let mut request_headers = BTreeMap::new();
    let mut form = false;
    for (name, value, secret) in &raw.request_headers {
        if skips_request_header(name) {
            continue;
        }
        if name == "content-type" && value.starts_with("application/x-www-form-urlencoded") {
            form = true;
        }
        let value = if *secret || redact::is_secret_key(name) {
            REDACTED.to_owned()
        } else {
            value.clone()
        };
        request_headers.insert(name.clone(), value);
    }
    let (request_json, request_text) = raw
        .request_body
        .as_deref()
        .map_or((None, None), |bytes| body(bytes, form));
    let (response_json, response_text) = body(&raw.response_body, false);
    Exchange {
        method: raw.method.clone(),
        path: path_and_query(&raw.url),
        request_headers,
        request_json,
        request_text,
        status: raw.status,
        response_headers: raw
            .response_headers
            .iter()
            .filter(|(name, _)| keeps_response_header(name))
            .cloned()
            .collect(),
        response_json,
        response_text,
    }
}

/// The credential kind named in `auth`, without its values.
fn auth_kind(auth: Option<&Value>) -> Option<String> {
    let auth = auth?.as_object()?;
    ["basic", "token", "oauth", "oauth_client_credentials"]
        .into_iter()
        .find(|kind| auth.get(*kind).is_some_and(|v| !v.is_null()))
        .map(str::to_owned)
}

/// Every secret of the request and of the clients' credentials.
fn secrets_of(request: &Value, secret_fields: &[String], session: &Session) -> Secrets {
    let mut secrets = Secrets::default();
    if let Some(auth) = request.get("auth") {
        if let Ok(credential) = serde_json::from_value::<AuthCredential>(auth.clone()) {
            secrets.add_auth(&credential);
        }
        secrets.add_secret_keys(auth);
    }
    if let Some(payload) = request.get("request") {
        secrets.add_secret_keys(payload);
    }
    if let Some(settings) = request.get("settings") {
        secrets.add_fields(settings, secret_fields);
        secrets.add_urls(settings);
    }
    for secret in session.secrets() {
        secrets.push(&secret);
    }
    secrets
}

/// What a capability call left for its recording.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) capability: CapabilityName,
    pub(crate) request: &'a Value,
    pub(crate) secret_fields: &'a [String],
    pub(crate) session: &'a Session,
    pub(crate) envelope: &'a Value,
}

/// Scrubs the call and writes it to `dir/<capability>-<n>.json` (the first free `n`), sharing
/// the directory's mapping of fakes. Returns the file and a one-paragraph summary.
pub(crate) fn write(
    dir: &Path,
    options: &RecordOptions,
    call: &Call<'_>,
) -> Result<(PathBuf, String), String> {
    let raw = call.session.exchanges();
    let mut request = call.request.clone();
    if let Value::Object(map) = &mut request {
        map.remove("auth");
    }
    let recording = Recording {
        format: FORMAT.to_owned(),
        capability: call.capability,
        auth_kind: auth_kind(call.request.get("auth")),
        request,
        exchanges: raw.iter().map(exchange).collect(),
        envelope: call.envelope.clone(),
        scrubbed: super::ScrubReport::default(),
    };
    let origins: BTreeSet<String> = raw
        .iter()
        .map(|exchange| exchange.url.origin().ascii_serialization())
        .filter(|origin| origin.contains("://"))
        .collect();
    let secrets = secrets_of(call.request, call.secret_fields, call.session);

    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the directory {}: {e}", dir.display()))?;
    let mapping_path = dir.join(MAPPING_FILE);
    let mut mapping = match std::fs::read_to_string(&mapping_path) {
        Ok(text) => serde_json::from_str::<Mapping>(&text).map_err(|e| {
            format!(
                "{} is not a mapping of this SDK ({e}); move it away to start a new recording",
                mapping_path.display()
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Mapping::fresh(),
        Err(e) => return Err(format!("cannot read {}: {e}", mapping_path.display())),
    };

    let mut value = serde_json::to_value(&recording)
        .map_err(|e| format!("the recording does not serialize: {e}"))?;
    if let Value::Object(map) = &mut value {
        map.remove("scrubbed");
    }
    // Credential headers, secret query parameters and form fields are already out.
    let removed = value.to_string().matches(REDACTED).count() as u64;
    let mut report = scrub::scrub(&mut value, &secrets, &origins, options, &mut mapping);
    report.credentials += removed;
    if let Value::Object(map) = &mut value {
        let report_value =
            serde_json::to_value(&report).unwrap_or_else(|_| Value::Object(Map::new()));
        map.insert("scrubbed".to_owned(), report_value);
    }
    let text = serde_json::to_string_pretty(&value)
        .map_err(|e| format!("the recording does not serialize: {e}"))?;
    let mapping_text = serde_json::to_string_pretty(&mapping)
        .map_err(|e| format!("the mapping does not serialize: {e}"))?;
    write_atomically(&mapping_path, &mapping_text)?;
    let path = create_numbered(dir, call.capability.as_str(), &text)?;

    let mut summary = format!(
        "recorded {} into {} ({} HTTP exchange(s)); scrubbed {} credential(s)",
        call.capability,
        path.display(),
        raw.len(),
        report.credentials
    );
    if report.personal.is_empty() {
        summary.push_str(", no personal data found");
    } else {
        let fields: Vec<String> = report
            .personal
            .iter()
            .map(|(field, found)| format!("{field} {}", found.values))
            .collect();
        summary.push_str(&format!("; personal data replaced: {}", fields.join(", ")));
    }
    Ok((path, summary))
}

fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes `text` to the first free `dir/<stem>-<n>.json`.
fn create_numbered(dir: &Path, stem: &str, text: &str) -> Result<PathBuf, String> {
    for n in 1..=100_000u32 {
        let path = dir.join(format!("{stem}-{n}.json"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                return file
                    .write_all(text.as_bytes())
                    .and_then(|()| file.write_all(b"\n"))
                    .map(|()| path.clone())
                    .map_err(|e| format!("cannot write {}: {e}", path.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
        }
    }
    Err(format!(
        "{} holds too many recordings of {stem}",
        dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_lose_secret_parameters_and_keep_the_rest() {
        let url =
            url::Url::parse("http://h/api/users?limit=2&access_token=t0k&after=u%2F1").unwrap();
        assert_eq!(
            path_and_query(&url),
            "/api/users?limit=2&access_token=[REDACTED]&after=u%2F1"
        );
        let url = url::Url::parse("http://h/api/users?limit=2&after=u%2F1").unwrap();
        assert_eq!(path_and_query(&url), "/api/users?limit=2&after=u%2F1");
    }

    #[test]
    fn paging_parameters_are_kept() {
        let url = url::Url::parse("http://h/x?pageToken=c-1&api_key=k").unwrap();
        assert_eq!(path_and_query(&url), "/x?pageToken=c-1&api_key=[REDACTED]");
    }

    #[test]
    fn forms_lose_secret_fields() {
        let (json, text) = body(b"grant_type=client_credentials&client_secret=s3cr3t", true);
        assert_eq!(json, None);
        assert_eq!(
            text.unwrap(),
            "grant_type=client_credentials&client_secret=[REDACTED]"
        );
    }

    #[test]
    fn only_headers_that_matter_are_kept() {
        assert!(keeps_response_header("x-ratelimit-remaining"));
        assert!(keeps_response_header("link"));
        assert!(keeps_response_header("x-total-count"));
        assert!(!keeps_response_header("set-cookie"));
        assert!(!keeps_response_header("date"));
    }
}
