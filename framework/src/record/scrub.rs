//! Scrubbing a recording: credentials out, the app's origin as `{{base_url}}`, personal data
//! replaced by consistent fakes wherever it appears.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::personal::{self, Kind, Mapping};
use super::{FieldReport, RecordOptions, ScrubReport};
use crate::pagination::PageToken;
use crate::redact::{self, REDACTED, Secrets};

/// The placeholder of the app's origin, which the testkit replaces by its mock app's URL.
pub(crate) const BASE_URL: &str = "{{base_url}}";

/// The parts of a recording (as JSON) whose field names say what they hold.
const CONTENT: &[&str] = &["request", "envelope"];
const EXCHANGE_CONTENT: &[&str] = &["request_json", "response_json"];

/// Whether a key (JSON field, query or form parameter) names a credential: a secret-looking
/// name (see the redaction layer) that is not a paging cursor's (`next_page_token`,
/// `pageToken`, `continuationToken`: the app's cursors, which the replay must send back).
pub(crate) fn is_credential_key(key: &str) -> bool {
    const PAGING: &[&str] = &[
        "page",
        "next",
        "cursor",
        "continuation",
        "after",
        "before",
        "sync",
        "delta",
        "skip",
    ];
    let lower = key.to_ascii_lowercase();
    redact::is_secret_key(key) && !PAGING.iter().any(|word| lower.contains(word))
}

/// Applies `f` to every string of `value`, object keys included.
fn map_strings(value: &mut Value, f: &mut impl FnMut(&str) -> String) {
    match value {
        Value::String(text) => *text = f(text),
        Value::Array(items) => items.iter_mut().for_each(|item| map_strings(item, f)),
        Value::Object(map) => {
            let taken = std::mem::take(map);
            *map = taken
                .into_iter()
                .map(|(key, mut item)| {
                    map_strings(&mut item, f);
                    (f(&key), item)
                })
                .collect::<Map<String, Value>>();
        }
        _ => {}
    }
}

/// Every string of `value`, keys included.
fn strings<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::String(text) => out.push(text),
        Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
        Value::Object(map) => {
            for (key, item) in map {
                out.push(key);
                strings(item, out);
            }
        }
        _ => {}
    }
}

/// The content parts of a recording as JSON: request, envelope, bodies.
fn content_mut(recording: &mut Value) -> Vec<&mut Value> {
    let mut parts = Vec::new();
    let Value::Object(map) = recording else {
        return parts;
    };
    for (key, part) in map.iter_mut() {
        if CONTENT.contains(&key.as_str()) {
            parts.push(part);
        } else if key == "exchanges"
            && let Value::Array(exchanges) = part
        {
            for exchange in exchanges {
                if let Value::Object(exchange) = exchange {
                    for (key, part) in exchange.iter_mut() {
                        if EXCHANGE_CONTENT.contains(&key.as_str()) {
                            parts.push(part);
                        }
                    }
                }
            }
        }
    }
    parts
}

fn content(recording: &Value) -> Vec<&Value> {
    let mut parts = Vec::new();
    for key in CONTENT {
        if let Some(part) = recording.get(key) {
            parts.push(part);
        }
    }
    for exchange in recording
        .get("exchanges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for key in EXCHANGE_CONTENT {
            if let Some(part) = exchange.get(key) {
                parts.push(part);
            }
        }
    }
    parts
}

/// Scrubs a recording (serialized as JSON) in place and reports what it replaced.
pub(crate) fn scrub(
    recording: &mut Value,
    secrets: &Secrets,
    origins: &BTreeSet<String>,
    options: &RecordOptions,
    mapping: &mut Mapping,
) -> ScrubReport {
    let count = |value: &Value| value.to_string().matches(REDACTED).count() as u64;
    let before = count(recording);
    // Credentials: secret-looking fields, then every known secret in any encoding.
    for part in content_mut(recording) {
        // `page.token` of a request or an envelope is the SDK's own opaque cursor, not a
        // credential; the replay sends it back. Settings name URLs `token_url`.
        let page = part.as_object_mut().and_then(|map| map.remove("page"));
        let settings = part.as_object_mut().and_then(|map| map.remove("settings"));
        *part = redact::json_with(part, &is_credential_key);
        if let Value::Object(map) = &mut *part {
            if let Some(page) = page {
                map.insert("page".to_owned(), page);
            }
            if let Some(settings) = settings {
                let settings = redact::json_with(&settings, &|key: &str| {
                    let lower = key.to_ascii_lowercase();
                    is_credential_key(key) && !lower.ends_with("url") && !lower.ends_with("uri")
                });
                map.insert("settings".to_owned(), settings);
            }
        }
    }
    map_strings(recording, &mut |text| secrets.scrub(text));
    let credentials = count(recording).saturating_sub(before);

    // The app's origin.
    map_strings(recording, &mut |text| {
        origins.iter().fold(text.to_owned(), |text, origin| {
            text.replace(origin.as_str(), BASE_URL)
        })
    });

    // The SDK's page tokens hold the app's cursors (an id, an email): they are scrubbed
    // inside and issued again, so the replay sends and gets back the same scrubbed cursors.
    let mut tokens = page_tokens(recording);
    for (_, cursors) in &mut tokens {
        cursors
            .iter_mut()
            .for_each(|cursor| map_strings(cursor, &mut |text| secrets.scrub(text)));
    }

    // Personal data: find it, fake it, replace it everywhere.
    let mut found = Found::default();
    for part in content(recording) {
        found.fields(part, options, None);
    }
    let mut all = Vec::new();
    strings(recording, &mut all);
    for (_, cursors) in &tokens {
        cursors.iter().for_each(|cursor| strings(cursor, &mut all));
    }
    for text in all {
        found.shapes(text);
        // Values an earlier call of this directory faked: they may stand here where no field
        // names them (a cursor, a path segment).
        for candidate in candidates(text) {
            if let Some(kind) = mapping.known(&candidate) {
                found.push("seen in an earlier call", kind, &candidate);
            }
        }
    }
    let mut replacer = Replacer::default();
    let mut report = BTreeMap::<String, (Kind, BTreeSet<String>)>::new();
    for (label, kind, real) in found.values {
        let fake = mapping.fake(kind, &real);
        replacer.add(&real, &fake, kind);
        report
            .entry(label)
            .or_insert_with(|| (kind, BTreeSet::new()))
            .1
            .insert(real);
    }
    replacer.finish();
    map_strings(recording, &mut |text| replacer.replace(text));
    for (part, mut cursors) in tokens {
        cursors
            .iter_mut()
            .for_each(|cursor| map_strings(cursor, &mut |text| replacer.replace(text)));
        reissue(recording, part, &cursors);
    }
    ScrubReport {
        credentials,
        personal: report
            .into_iter()
            .map(|(label, (kind, values))| {
                (
                    label,
                    FieldReport {
                        kind: kind.as_str().to_owned(),
                        values: values.len() as u64,
                    },
                )
            })
            .collect(),
    }
}

/// A text, and the pieces of it that may be values: path segments, query keys and values
/// (percent-decoded), words.
fn candidates(text: &str) -> Vec<String> {
    let mut out = vec![text.to_owned()];
    if text.contains(['/', '?', '&', '=', ' ', ',', ';']) {
        for piece in text.split(['/', '?', '&', '=', ' ', ',', ';', '<', '>', '"', '(', ')']) {
            let decoded = percent_encoding::percent_decode_str(&piece.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned();
            if decoded.chars().count() >= 2 && !out.contains(&decoded) {
                out.push(decoded);
            }
        }
    }
    out
}

/// The parts whose `page.token` may be one of the SDK's page tokens.
const TOKEN_PARTS: [&str; 2] = ["request", "envelope"];

/// The cursors of the SDK's page tokens in `page.token` of the request and the envelope
/// (outermost first), by part; a token of another making is left alone.
fn page_tokens(recording: &Value) -> Vec<(&'static str, Vec<Value>)> {
    let listing = recording
        .get("capability")
        .and_then(Value::as_str)
        .unwrap_or_default();
    TOKEN_PARTS
        .into_iter()
        .filter_map(|part| {
            let token = recording.get(part)?.get("page")?.get("token")?.as_str()?;
            let mut decoded = PageToken::decode(listing, Some(token)).ok()??;
            let mut cursors = Vec::new();
            while let Ok(Some(cursor)) = decoded.pop::<Value>() {
                cursors.push(cursor);
            }
            cursors.reverse();
            Some((part, cursors))
        })
        .collect()
}

/// Puts a token holding `cursors` in `page.token` of `part`.
fn reissue(recording: &mut Value, part: &str, cursors: &[Value]) {
    let listing = recording
        .get("capability")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut token = PageToken::new(listing);
    for cursor in cursors {
        if token.push(cursor).is_err() {
            return;
        }
    }
    if let Some(Value::Object(page)) = recording.get_mut(part).and_then(|p| p.get_mut("page")) {
        page.insert("token".to_owned(), Value::String(token.encode()));
    }
}

/// Personal values found: (field or shape, kind, real value).
#[derive(Debug, Default)]
struct Found {
    values: Vec<(String, Kind, String)>,
}

impl Found {
    fn push(&mut self, label: &str, kind: Kind, real: &str) {
        let real = real.trim();
        // One-letter values would mangle ordinary text without protecting anyone.
        if real.chars().count() < 2 || real == REDACTED || real.contains(BASE_URL) {
            return;
        }
        self.values.push((label.to_owned(), kind, real.to_owned()));
    }

    /// Values of personal fields, at any depth. `field` is the field `value` is held by.
    fn fields(&mut self, value: &Value, options: &RecordOptions, field: Option<(&str, Kind)>) {
        match value {
            Value::String(text) => {
                if let Some((name, kind)) = field {
                    self.push(name, kind, text);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.fields(item, options, field);
                }
            }
            Value::Object(map) => {
                let person = map.iter().any(|(key, item)| {
                    personal::is_person_field(key) && (item.is_string() || item.is_array())
                });
                for (key, item) in map {
                    let kind = personal::field_kind(
                        key,
                        options.extra_personal_fields(),
                        options.maps_ids(),
                        person,
                    );
                    // Inside an object held by a personal field (`name: {givenName, …}`), the
                    // inner fields decide.
                    let inner = kind.map(|kind| (key.as_str(), kind));
                    self.fields(item, options, inner);
                }
            }
            _ => {}
        }
    }

    /// Emails written anywhere, and whole values shaped like phone numbers.
    fn shapes(&mut self, text: &str) {
        for email in personal::emails_in(text) {
            self.push("email (shape)", Kind::Email, email);
        }
        if personal::is_phone_shape(text) {
            self.push("phone (shape)", Kind::Phone, text);
        }
    }
}

/// Whether `c` continues a word (an id, a name, a token): values are replaced only where they
/// stand as whole words.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// How a needle must stand in a text to be replaced.
#[derive(Debug, Clone, Copy)]
struct Rule {
    /// ASCII case is ignored (emails).
    ignore_case: bool,
    /// Only where it stands as a whole word: names (`Ann` is not in `Annual`), ids (`u-1` is
    /// not in `u-12`) and short values. Longer emails, usernames, phone numbers and the
    /// author's fields are replaced inside anything (`usr-ann.lee-7`).
    whole_word: bool,
}

/// Replaces real values by their fakes, each also percent- and form-encoded, in one pass
/// (longest first; what was put in is never rescanned).
#[derive(Debug, Default)]
pub(crate) struct Replacer {
    /// Needle, replacement, rule.
    pairs: Vec<(String, String, Rule)>,
    /// Indexes into `pairs` by the needle's first byte (lower case).
    by_first: HashMap<u8, Vec<usize>>,
}

impl Replacer {
    pub(crate) fn add(&mut self, real: &str, fake: &str, kind: Kind) {
        let rule = Rule {
            ignore_case: kind.ignores_case(),
            whole_word: matches!(kind, Kind::Name | Kind::Id) || real.chars().count() < 4,
        };
        use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
        const PATH: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        let form = |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
        let path = |text: &str| utf8_percent_encode(text, PATH).to_string();
        let forms: [(String, String); 3] = [
            (real.to_owned(), fake.to_owned()),
            (form(real), form(fake)),
            (path(real), path(fake)),
        ];
        for (needle, replacement) in forms {
            if !needle.is_empty() && !self.pairs.iter().any(|(n, _, _)| *n == needle) {
                self.pairs.push((needle, replacement, rule));
            }
        }
    }

    pub(crate) fn finish(&mut self) {
        self.pairs
            .sort_by_key(|pair| std::cmp::Reverse(pair.0.len()));
        self.by_first.clear();
        for (index, (needle, _, _)) in self.pairs.iter().enumerate() {
            if let Some(first) = needle.bytes().next() {
                self.by_first
                    .entry(first.to_ascii_lowercase())
                    .or_default()
                    .push(index);
            }
        }
    }

    fn matches_at(&self, text: &str, at: usize, index: usize) -> Option<usize> {
        let (needle, _, rule) = self.pairs.get(index)?;
        let end = at + needle.len();
        let candidate = text.get(at..end)?;
        let same = if rule.ignore_case {
            candidate.eq_ignore_ascii_case(needle)
        } else {
            candidate == needle
        };
        if !same {
            return None;
        }
        if !rule.whole_word {
            return Some(end);
        }
        let starts_word = needle.chars().next().is_some_and(is_word);
        let ends_word = needle.chars().next_back().is_some_and(is_word);
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = text.get(end..).and_then(|t| t.chars().next());
        if (starts_word && before.is_some_and(is_word)) || (ends_word && after.is_some_and(is_word))
        {
            return None;
        }
        Some(end)
    }

    /// `text` with every real value replaced.
    pub(crate) fn replace(&self, text: &str) -> String {
        if self.pairs.is_empty() {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut at = 0;
        let bytes = text.as_bytes();
        while at < bytes.len() {
            let found = if text.is_char_boundary(at) {
                bytes
                    .get(at)
                    .and_then(|b| self.by_first.get(&b.to_ascii_lowercase()))
                    .and_then(|candidates| {
                        candidates
                            .iter()
                            .find_map(|&i| self.matches_at(text, at, i).map(|end| (i, end)))
                    })
            } else {
                None
            };
            match found {
                Some((index, end)) => {
                    out.push_str(text.get(copied..at).unwrap_or_default());
                    out.push_str(self.pairs.get(index).map_or("", |p| p.1.as_str()));
                    copied = end;
                    at = end;
                }
                None => at += 1,
            }
        }
        out.push_str(text.get(copied..).unwrap_or_default());
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(recording: &mut Value, options: &RecordOptions, mapping: &mut Mapping) -> ScrubReport {
        let mut secrets = Secrets::default();
        secrets.push("s3cr3t-pw");
        let origins = BTreeSet::from(["http://127.0.0.1:4000".to_owned()]);
        scrub(recording, &secrets, &origins, options, mapping)
    }

    fn recording() -> Value {
        json!({
            "request": {"request": {"account_integration_specific_id": "u-1"},
                        "page": {"token": "AU_Oex9QqNOOeyJz", "size": 2},
                        "settings": {"host": "http://127.0.0.1:4000"}},
            "exchanges": [{
                "method": "GET",
                "path": "/api/users?email=ann.lee%40corp.example&login=ann.lee",
                "request_headers": {"x-note": "s3cr3t-pw"},
                "status": 200,
                "response_headers": {"link": "<http://127.0.0.1:4000/api/users?after=ann.lee>; rel=next"},
                "response_json": {"users": [
                    {"id": "u-1", "email": "Ann.Lee@corp.example", "first_name": "Ann",
                     "last_name": "Ng", "username": "ann.lee", "phone": "555 0101",
                     "manager_note": "likes Bob", "department": "Sales",
                     "profile": {"name": {"givenName": "Ann", "familyName": "Ng"}},
                     "contacts": ["+44 20 7946 0958"]},
                    {"id": "u-2", "name": "Bob Stone", "mail": "bob@corp.example"}
                ], "groups": [{"id": "g-1", "name": "Annual Planning", "displayName": "Sales"}]}
            }],
            "envelope": {"response": [{"integration_specific_id": "u-1",
                "email": "ann.lee@corp.example", "given_name": "Ann", "family_name": "Ng",
                "username": "ann.lee"}],
                "error": {"message": "user Ann (ann.lee@corp.example) has password s3cr3t-pw"}}
        })
    }

    #[test]
    fn personal_fields_shapes_and_secrets_everywhere() {
        let mut value = recording();
        let mut mapping = Mapping::fresh();
        let report = run(&mut value, &RecordOptions::default(), &mut mapping);
        let text = value.to_string();
        for real in [
            "Ann.Lee",
            "ann.lee",
            "Ng\"",
            "Bob Stone",
            "bob@corp",
            "555 0101",
            "7946",
            "s3cr3t",
            "127.0.0.1",
            "\"Ann\"",
            "user Ann ",
        ] {
            assert!(!text.contains(real), "{real} survived: {text:#}");
        }
        // The same email (in any case, raw or percent-encoded) has one fake everywhere.
        let users = &value["exchanges"][0]["response_json"]["users"];
        assert_eq!(users[0]["email"], "user-0001@example.com");
        assert_eq!(
            value["envelope"]["response"][0]["email"],
            "user-0001@example.com"
        );
        assert_eq!(
            value["exchanges"][0]["path"],
            "/api/users?email=user-0001%40example.com&login=user0001"
        );
        // Names: the same real name, the same fake, in fields and in free text.
        assert_eq!(users[0]["first_name"], "Person 0001");
        assert_eq!(
            value["envelope"]["response"][0]["given_name"],
            "Person 0001"
        );
        assert_eq!(users[0]["profile"]["name"]["givenName"], "Person 0001");
        assert_eq!(users[1]["name"], "Person 0003");
        assert_eq!(
            value["envelope"]["error"]["message"],
            "user Person 0001 (user-0001@example.com) has password [REDACTED]"
        );
        // Headers, links and settings.
        assert_eq!(value["exchanges"][0]["request_headers"]["x-note"], REDACTED);
        assert_eq!(
            value["exchanges"][0]["response_headers"]["link"],
            "<{{base_url}}/api/users?after=user0001>; rel=next"
        );
        assert_eq!(value["request"]["settings"]["host"], BASE_URL);
        assert_eq!(value["request"]["page"]["token"], "AU_Oex9QqNOOeyJz");
        // A group is not a person; a word that merely starts like a name is kept; ids kept.
        let group = &value["exchanges"][0]["response_json"]["groups"][0];
        assert_eq!(group["name"], "Annual Planning");
        assert_eq!(group["displayName"], "Sales");
        assert_eq!(users[0]["department"], "Sales");
        assert_eq!(users[0]["id"], "u-1");
        assert_eq!(users[0]["manager_note"], "likes Bob");
        assert_eq!(users[0]["contacts"][0], "+1-555-0000002");
        assert_eq!(report.credentials, 2);
        assert_eq!(report.personal["email"].values, 2);
        assert_eq!(report.personal["email"].kind, "email");
        assert_eq!(report.personal["first_name"].values, 1);
        assert!(report.personal.contains_key("phone (shape)"));
    }

    #[test]
    fn paging_cursors_and_url_settings_are_kept_credentials_are_not() {
        let mut value = json!({
            "request": {"settings": {"host": "http://127.0.0.1:4000",
                "token_url": "https://idp.example/token", "api_token": "x-123"},
                "request": {"client_secret": "cs-1"}},
            "exchanges": [{"method": "GET", "path": "/x", "status": 200,
                "response_json": {"nextPageToken": "c-2", "access_token": "at-1",
                                  "next": {"cursor_token": "c-3"}}}],
            "envelope": {"response": {"access_token": "at-1", "refresh_token": "rt-1"}},
        });
        run(&mut value, &RecordOptions::default(), &mut Mapping::fresh());
        let settings = &value["request"]["settings"];
        assert_eq!(settings["token_url"], "https://idp.example/token");
        assert_eq!(settings["api_token"], REDACTED);
        assert_eq!(value["request"]["request"]["client_secret"], REDACTED);
        let body = &value["exchanges"][0]["response_json"];
        assert_eq!(body["nextPageToken"], "c-2");
        assert_eq!(body["next"]["cursor_token"], "c-3");
        assert_eq!(body["access_token"], REDACTED);
        assert_eq!(value["envelope"]["response"]["refresh_token"], REDACTED);
        assert!(is_credential_key("X-Api-Key") && !is_credential_key("page_token"));
    }

    #[test]
    fn author_fields_and_mapped_ids() {
        let mut value = recording();
        let mut mapping = Mapping::fresh();
        let options = RecordOptions::default()
            .personal_fields(&["manager_note"])
            .map_ids(true);
        let report = run(&mut value, &options, &mut mapping);
        let users = &value["exchanges"][0]["response_json"]["users"];
        assert_eq!(users[0]["manager_note"], "personal-0001");
        assert_eq!(users[0]["id"], "id-0001");
        assert_eq!(
            value["envelope"]["response"][0]["integration_specific_id"],
            "id-0001"
        );
        assert_eq!(
            value["request"]["request"]["account_integration_specific_id"],
            "id-0001"
        );
        assert_eq!(report.personal["manager_note"].kind, "personal");
        let group = &value["exchanges"][0]["response_json"]["groups"][0];
        assert_eq!(group["id"], "g-1", "a group's id is not a person's");
        assert!(!value.to_string().contains("u-1\""), "{value:#}");
    }

    #[test]
    fn a_second_call_shares_the_fakes_of_the_first() {
        let mut mapping = Mapping::fresh();
        let mut first = recording();
        run(&mut first, &RecordOptions::default(), &mut mapping);
        let mut second = json!({"envelope": {"response": [
            {"email": "bob@corp.example", "given_name": "Cleo"},
            {"email": "ANN.LEE@corp.example", "given_name": "Ann"}]}});
        run(&mut second, &RecordOptions::default(), &mut mapping);
        assert_eq!(
            second["envelope"]["response"][1]["email"],
            "user-0001@example.com"
        );
        assert_eq!(
            second["envelope"]["response"][1]["given_name"],
            "Person 0001"
        );
        assert_eq!(
            second["envelope"]["response"][0]["email"],
            "user-0002@example.com"
        );
        assert_eq!(
            second["envelope"]["response"][0]["given_name"],
            "Person 0004"
        );
        // Values only an earlier call named: here they stand in a path and a free field.
        let mut third = json!({"exchanges": [{"method": "GET",
            "path": "/users/ann.lee/groups?of=Bob%20Stone",
            "status": 200, "response_json": {"owner": "ann.lee"}}]});
        let report = run(&mut third, &RecordOptions::default(), &mut mapping);
        assert_eq!(
            third["exchanges"][0]["path"],
            "/users/user0001/groups?of=Person%200003"
        );
        assert_eq!(third["exchanges"][0]["response_json"]["owner"], "user0001");
        assert_eq!(report.personal["seen in an earlier call"].values, 2);
    }

    #[test]
    fn cursors_inside_page_tokens_are_scrubbed_and_reissued() {
        let token = |cursors: &[&str]| {
            let mut token = PageToken::new("list_accounts");
            cursors.iter().for_each(|c| token.push(c).unwrap());
            token.encode()
        };
        let mut value = json!({
            "capability": "list_accounts",
            "request": {"page": {"token": token(&["ann@corp.example"]), "size": 2}},
            "exchanges": [{"method": "GET", "path": "/users?after=ann%40corp.example",
                "status": 200, "response_json": {"users": [
                    {"id": "u-7", "email": "bob@corp.example"}], "next": "bob@corp.example"}}],
            "envelope": {"response": [], "page": {"token": token(&["bob@corp.example"]), "size": 2}},
        });
        let mut mapping = Mapping::fresh();
        run(
            &mut value,
            &RecordOptions::default().map_ids(true),
            &mut mapping,
        );
        let request = value["request"]["page"]["token"].as_str().unwrap();
        let envelope = value["envelope"]["page"]["token"].as_str().unwrap();
        let cursor = |token: &str| {
            PageToken::decode("list_accounts", Some(token))
                .unwrap()
                .unwrap()
                .pop::<String>()
                .unwrap()
                .unwrap()
        };
        assert_eq!(cursor(request), "user-0002@example.com");
        assert_eq!(cursor(envelope), "user-0001@example.com");
        assert_eq!(
            value["exchanges"][0]["path"],
            "/users?after=user-0002%40example.com"
        );
        assert_eq!(
            value["exchanges"][0]["response_json"]["users"][0]["id"],
            "id-0001"
        );
        // A token of another making is left alone.
        let mut other = json!({"capability": "list_accounts",
            "envelope": {"page": {"token": "opaque:ann@corp.example"}}});
        run(&mut other, &RecordOptions::default(), &mut mapping);
        assert_eq!(
            other["envelope"]["page"]["token"],
            "opaque:user-0002@example.com"
        );
    }

    #[test]
    fn replacer_respects_words_and_encodings() {
        let mut replacer = Replacer::default();
        replacer.add("Ann", "Person 0001", Kind::Name);
        replacer.add("a b@x.io", "user-0001@example.com", Kind::Email);
        replacer.add("ann.lee", "user0001", Kind::Username);
        replacer.add("u-1", "id-0001", Kind::Id);
        replacer.finish();
        assert_eq!(
            replacer.replace("Ann, Annual, ann, xAnn"),
            "Person 0001, Annual, ann, xAnn"
        );
        assert_eq!(
            replacer.replace("q=a+b%40x.io"),
            "q=user-0001%40example.com"
        );
        assert_eq!(
            replacer.replace("/u/a%20b%40X.io/"),
            "/u/user-0001%40example.com/"
        );
        assert_eq!(replacer.replace("é Ann é"), "é Person 0001 é");
        // A username inside an id; an id only where it stands whole.
        assert_eq!(
            replacer.replace("/users/usr-ann.lee-7"),
            "/users/usr-user0001-7"
        );
        assert_eq!(replacer.replace("u-1 u-12 [u-1]"), "id-0001 u-12 [id-0001]");
    }

    proptest::proptest! {
        #[test]
        fn scrubbing_never_panics_and_replaces_whole_words(
            text in "\\PC{0,60}",
            real in "[A-Za-z0-9é]{2,12}",
        ) {
            let _ = personal::emails_in(&text);
            let _ = personal::is_phone_shape(&text);
            let mut replacer = Replacer::default();
            replacer.add(&real, "Person 0001", Kind::Name);
            replacer.finish();
            let out = replacer.replace(&format!("{text} {real}. {text}"));
            let standalone = format!(" {real}. ");
            proptest::prop_assert!(!out.contains(&standalone), "{}", out);
            proptest::prop_assert!(out.contains(" Person 0001. "), "{}", out);
        }
    }
}
