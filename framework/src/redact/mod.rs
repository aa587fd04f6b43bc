//! Redaction of secrets in what we log or echo: JSON documents, URLs, headers.
//!
//! This is the one place secret forms are defined: [`SECRET_EXACT`] and [`SECRET_PARTS`] say
//! which names (fields, parameters, headers) are secret, and `Secrets::add_auth` says which
//! fields of every credential kind are secret and in which encodings they may leak (raw,
//! JSON-escaped, base64, percent-encoded, `user:password`, PEM body lines). Error messages,
//! logs, recordings (`record::scrub`) and `connector check` (through
//! `credential::SecretForms`) all use it, and so does the developer console's page, which reads
//! the rule from the server (`/console/secret-keys.json`).

mod secrets;

use serde_json::Value;

pub(crate) use secrets::{Secrets, serde_message};

/// The replacement of a redacted value.
pub(crate) use crate::wire::REDACTED;

/// Whether a key (JSON field, query parameter, header) names something secret.
///
/// (Examples: the `documented_examples` unit test.)
pub(crate) fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace(['-', '.'], "_");
    if NOT_SECRET_EXACT.contains(&key.as_str()) {
        return false;
    }
    SECRET_EXACT.contains(&key.as_str()) || SECRET_PARTS.iter().any(|part| key.contains(part))
}

/// Names that contain a secret part but name an identifier: the id of a declared credential
/// (protocol 4's `credential_id`) is no secret, and messages must be able to name it.
pub(crate) const NOT_SECRET_EXACT: &[&str] =
    &["credential_id", "credential_ids", "linked_credential_ids"];

/// RFC 3986's unreserved characters stay as they are; everything else is percent-encoded (the
/// encoding of RFC 5849 §3.6, in which OAuth 1.0a secrets are keyed).
pub(crate) const RFC3986_UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');

/// Names that are secret as they are (after lower-casing, `-` and `.` read as `_`).
pub(crate) const SECRET_EXACT: &[&str] = &[
    "authorization",
    "cookie",
    "set_cookie",
    "proxy_authorization",
    "auth",
    "signature",
    "sig",
    "oauth_signature",
];

/// Parts of names that make them secret: every secret field of every credential kind
/// (`password`, `token`, `client_secret`, `consumer_secret`, `token_secret`, `private_key`,
/// `secret`, …) matches one.
pub(crate) const SECRET_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "privatekey",
    "credential",
    "session",
    "assertion",
    "code_verifier",
];

/// A copy of `value` with the value of every secret-looking key replaced by `[REDACTED]`,
/// at any depth; string values that hold URLs go through [`url`] (and other strings through
/// [`text`]), so they lose their userinfo and secret query parameters.
///
/// (Examples: the `documented_examples` unit test.)
pub(crate) fn json(value: &Value) -> Value {
    json_with(value, &is_secret_key)
}

/// [`json`] with another rule for which keys are secret (recordings keep paging cursors such
/// as `next_page_token`, which the replay must send back).
pub(crate) fn json_with(value: &Value, is_secret: &dyn Fn(&str) -> bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    let item = if is_secret(key) {
                        Value::String(REDACTED.to_owned())
                    } else {
                        json_with(item, is_secret)
                    };
                    (key.clone(), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| json_with(item, is_secret))
                .collect(),
        ),
        Value::String(text) if text.contains("://") => Value::String(url(text)),
        other => other.clone(),
    }
}

/// A URL with its userinfo (user name and password) and the values of secret-looking query
/// parameters (`code`, `access_token`, `client_secret`, …) redacted. Text that is not a URL goes
/// through [`text`]; a URL with nothing to redact comes back unchanged.
///
/// (Examples: the `documented_examples` unit test.)
pub(crate) fn url(text: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(text) else {
        return self::text(text);
    };
    let mut changed = false;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        // Fails only for URLs that cannot have userinfo, which then have none.
        let _ = parsed.set_password(None);
        let _ = parsed.set_username(REDACTED);
        changed = true;
    }
    if parsed.query().is_some() {
        let mut secret = false;
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if is_secret_query_key(&k) {
                    secret = true;
                    REDACTED.to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        if secret {
            parsed.query_pairs_mut().clear().extend_pairs(pairs);
            changed = true;
        }
    }
    if !changed {
        return text.to_owned();
    }
    // Keep the brackets of the marker readable.
    parsed.to_string().replace("%5BREDACTED%5D", REDACTED)
}

/// Whether a query or form parameter carries a secret: a secret-looking key, or OAuth's `code`.
fn is_secret_query_key(key: &str) -> bool {
    is_secret_key(key) || key.eq_ignore_ascii_case("code")
}

/// `text` with the userinfo of every URL in it (`scheme://user:password@host`) replaced by
/// `[REDACTED]`, wherever the URL appears: in a sentence, in quotes, in a JSON document.
///
/// The authority of a URL ends at `/`, `?`, `#` or `\`, and its userinfo at the last `@`
/// before that end. When what follows `://` cannot be a host and port (a `:` followed by
/// something other than digits, as in `http://user:pa/ss@host`), the userinfo runs to the last
/// `@` of the word (or, without one, the whole authority goes), so a password with a raw `/`,
/// `?` or `#` is still hidden. (A password with both a raw `@` and a raw `/` after it reads as
/// a host and a path, as it does for a URL parser.) Runs in linear time and never panics.
///
/// (Examples: the `documented_examples` unit test.)
pub(crate) fn text(text: &str) -> String {
    if !text.contains("://") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word_start = 0;
    for (at, c) in text.char_indices() {
        if ends_word(c) {
            scrub_word(&text[word_start..at], &mut out);
            out.push(c);
            word_start = at + c.len_utf8();
        }
    }
    scrub_word(&text[word_start..], &mut out);
    out
}

/// Characters that never belong to a URL written in text.
fn ends_word(c: char) -> bool {
    // A URL serializer percent-encodes them in userinfo (`'` it may not).
    c.is_whitespace() || matches!(c, '"' | '<' | '>' | '`')
}

/// Copies `word` (free of [`ends_word`] characters) to `out`, redacting userinfo.
fn scrub_word(word: &str, out: &mut String) {
    let bytes = word.as_bytes();
    // Computed once per word so that many `://` in one word stay linear.
    let last_at = word.rfind('@');
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = word.get(from..).and_then(|rest| rest.find("://")) {
        let start = from + found + 3;
        let end = bytes
            .get(start..)
            .and_then(|rest| {
                rest.iter()
                    .position(|b| matches!(b, b'/' | b'?' | b'#' | b'\\'))
            })
            .map_or(bytes.len(), |offset| start + offset);
        let authority = bytes.get(start..end).unwrap_or_default();
        let userinfo_end = match authority.iter().rposition(|&b| b == b'@') {
            Some(offset) => Some(start + offset),
            None => {
                let later_at = last_at.filter(|&at| at > start);
                // A host and port, or one followed by sentence punctuation
                // (`http://host:8080;`) when no `@` follows that could end a userinfo.
                let host = is_host_and_port(authority)
                    || (later_at.is_none() && is_host_and_port(trim_punctuation(authority)));
                // Not a host and port: most likely userinfo whose password holds a `/`, `?`
                // or `#`, or one cut off by a quote.
                (!host).then(|| later_at.unwrap_or(end))
            }
        };
        match userinfo_end {
            Some(at) if at > start => {
                // `start` follows ASCII and `at` is an ASCII `@`: both are char boundaries.
                out.push_str(word.get(copied..start).unwrap_or_default());
                out.push_str(REDACTED);
                copied = at;
                from = at;
            }
            _ => from = end.max(start),
        }
    }
    out.push_str(word.get(copied..).unwrap_or_default());
}

/// Whether an authority without `@` reads as `host` or `host:port` (digits only).
/// `authority` without the punctuation a sentence may put right after a URL.
fn trim_punctuation(authority: &[u8]) -> &[u8] {
    let keep = authority
        .iter()
        .rposition(|b| !matches!(b, b';' | b',' | b'.' | b')' | b'!' | b'\'' | b':'))
        .map_or(0, |at| at + 1);
    authority.get(..keep).unwrap_or_default()
}

fn is_host_and_port(authority: &[u8]) -> bool {
    // An IPv6 literal's colons are inside the brackets.
    let after_host = match authority.iter().rposition(|&b| b == b']') {
        Some(close) => authority.get(close + 1..).unwrap_or_default(),
        None => authority,
    };
    match after_host.iter().position(|&b| b == b':') {
        Some(colon) => after_host
            .get(colon + 1..)
            .unwrap_or_default()
            .iter()
            .all(u8::is_ascii_digit),
        None => true,
    }
}

/// The most bytes of an error envelope's `message` (or `app_error_code`) before it is cut.
pub(crate) const MESSAGE_LIMIT: usize = 1024;

/// `text` cut to at most `limit` bytes on a char boundary, followed by a marker that names
/// `total`, the length of the text before any cut; `text` itself when it is short enough.
pub(crate) fn bounded(text: &str, limit: usize, total: usize) -> String {
    if text.len() <= limit && total <= text.len() {
        return text.to_owned();
    }
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [truncated, {total} bytes in all]", &text[..end])
}

/// The first `limit` characters of an app's body, for error messages, with secret-looking JSON
/// values redacted when the body is JSON.
pub(crate) fn body_excerpt(body: &[u8], limit: usize) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(value) => json(&value).to_string(),
        Err(_) => self::text(&String::from_utf8_lossy(body)),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > limit {
        let cut: String = text.chars().take(limit).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        use serde_json::json;

        assert!(is_secret_key("client_secret"));
        assert!(is_secret_key("X-Api-Key"));
        assert!(is_secret_key("refreshToken"));
        assert!(!is_secret_key("username"));
        assert!(!is_secret_key("credential_id"));
        assert!(is_secret_key("credentials"));

        let redacted = json(
            &json!({"user": "ann", "auth": {"basic": {"password": "p"}}, "access_token": "t"}),
        );
        assert_eq!(
            redacted,
            json!({"user": "ann", "auth": "[REDACTED]", "access_token": "[REDACTED]"})
        );

        let redacted = json(&json!({"base_url": "https://u:pw@h.example/cb?code=c0de&x=1"}));
        assert_eq!(
            redacted,
            json!({"base_url": "https://[REDACTED]@h.example/cb?code=[REDACTED]&x=1"})
        );

        assert_eq!(
            url("https://u:pw@api.example.com/users?limit=5&api_key=abc"),
            "https://[REDACTED]@api.example.com/users?limit=5&api_key=[REDACTED]"
        );
        assert_eq!(url("https://Example.com"), "https://Example.com");

        assert_eq!(
            text("GET http://ann:pw@h.example:8080/x failed; see https://h.example/u/bob@x.com"),
            "GET http://[REDACTED]@h.example:8080/x failed; see https://h.example/u/bob@x.com"
        );
        assert_eq!(
            text("'ldap://cn=admin:p@ss@dc1'"),
            "'ldap://[REDACTED]@dc1'"
        );
        assert_eq!(
            text("ldap://cn=admin:pa/ss?#@dc1/x"),
            "ldap://[REDACTED]@dc1/x"
        );
        assert_eq!(text("`http://u:p`"), "`http://[REDACTED]`");
        assert_eq!(
            text("from http://h:8080; to http://g:81)."),
            "from http://h:8080; to http://g:81)."
        );
    }

    #[test]
    fn excerpts_are_redacted_and_short() {
        let body = br#"{"error": "bad", "access_token": "tok-123"}"#;
        let text = body_excerpt(body, 200);
        assert!(!text.contains("tok-123"));
        assert_eq!(body_excerpt(b"abcdef", 3), "abc…");
        let text = body_excerpt(b"upstream http://ann:pw-9@h failed", 200);
        assert_eq!(text, "upstream http://[REDACTED]@h failed");
    }

    #[test]
    fn userinfo_is_redacted_wherever_a_url_appears() {
        let cases = [
            ("http://u:p@h/x", "http://[REDACTED]@h/x"),
            (
                "see (https://user@h:8443?x=1).",
                "see (https://[REDACTED]@h:8443?x=1).",
            ),
            (
                "x=\"ftp://a:b@c\",y=ldap://d:e@f",
                "x=\"ftp://[REDACTED]@c\",y=ldap://[REDACTED]@f",
            ),
            ("http://u:p@ss@h", "http://[REDACTED]@h"),
            ("http://u:pa/ss?x#y@h/z", "http://[REDACTED]@h/z"),
            ("http://[::1]:80/a@b", "http://[::1]:80/a@b"),
            (
                "http://h:8080/users/bob@x.com",
                "http://h:8080/users/bob@x.com",
            ),
            ("http://@h", "http://@h"),
            ("://u:p@h", "://[REDACTED]@h"),
            ("é://ü:pé@ß é", "é://[REDACTED]@ß é"),
            ("no url here: a@b", "no url here: a@b"),
            (":// :// ://@ ://", ":// :// ://@ ://"),
        ];
        for (input, expected) in cases {
            assert_eq!(text(input), expected, "{input}");
        }
    }

    #[test]
    fn urls_lose_the_whole_userinfo_and_secret_parameters() {
        assert_eq!(
            url("https://ann@h.example/cb?code=c0de&state=s&refresh_token=r&client_secret=cs"),
            "https://[REDACTED]@h.example/cb?code=[REDACTED]&state=s&refresh_token=[REDACTED]&client_secret=[REDACTED]"
        );
        assert_eq!(
            url("not a url http://u:p@h"),
            "not a url http://[REDACTED]@h"
        );
        assert_eq!(url("http://h/x?limit=5"), "http://h/x?limit=5");
    }

    #[test]
    fn bounded_cuts_on_a_char_boundary_with_a_marker() {
        assert_eq!(bounded("short", 10, 5), "short");
        assert_eq!(bounded("ééé", 3, 6), "é… [truncated, 6 bytes in all]");
        assert_eq!(bounded("abc", 10, 99), "abc… [truncated, 99 bytes in all]");
    }

    proptest::proptest! {
        #[test]
        fn text_never_panics_and_is_idempotent(input in "\\PC*") {
            let once = text(&input);
            proptest::prop_assert_eq!(text(&once), once);
        }

        #[test]
        fn no_userinfo_password_survives(
            before in "[ -~é]{0,20}",
            scheme in "[a-z][a-z0-9+.-]{0,6}",
            user in "[A-Za-z0-9._~-]{0,8}",
            password in "[A-Za-z0-9._~!$&'()*+,;=:-]{3,16}",
            host in "[a-z0-9.-]{1,12}(:[0-9]{1,5})?",
            after in "(/[ -~]{0,20})?",
        ) {
            let password = format!("PW{password}");
            let link = format!("{scheme}://{user}:{password}@{host}{after}");
            let sentence = format!("{before} {link} {before}");
            for output in [text(&sentence), url(&link), json(&serde_json::json!({"u": link})).to_string()] {
                proptest::prop_assert!(!output.contains(&format!(":{password}@")), "{}", output);
                proptest::prop_assert!(!output.contains(&password) || after.contains(&password) || before.contains(&password), "{}", output);
            }
        }
    }
}
