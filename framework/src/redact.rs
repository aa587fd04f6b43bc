//! Redaction of secrets in what we log or echo: JSON documents, URLs, headers.

use serde_json::Value;

/// The replacement of a redacted value.
pub const REDACTED: &str = "[REDACTED]";

/// Whether a key (JSON field, query parameter, header) names something secret.
///
/// ```
/// use connector_sdk::redact::is_secret_key;
///
/// assert!(is_secret_key("client_secret"));
/// assert!(is_secret_key("X-Api-Key"));
/// assert!(is_secret_key("refreshToken"));
/// assert!(!is_secret_key("username"));
/// ```
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace(['-', '.'], "_");
    const EXACT: &[&str] = &[
        "authorization",
        "cookie",
        "set_cookie",
        "proxy_authorization",
        "auth",
        "signature",
        "sig",
    ];
    const PARTS: &[&str] = &[
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
    EXACT.contains(&key.as_str()) || PARTS.iter().any(|part| key.contains(part))
}

/// A copy of `value` with the value of every secret-looking key replaced by `[REDACTED]`,
/// at any depth.
///
/// ```
/// use connector_sdk::redact::json;
/// use serde_json::json;
///
/// let redacted = json(&json!({"user": "ann", "auth": {"basic": {"password": "p"}}, "access_token": "t"}));
/// assert_eq!(redacted, json!({"user": "ann", "auth": "[REDACTED]", "access_token": "[REDACTED]"}));
/// ```
pub fn json(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    let item = if is_secret_key(key) {
                        Value::String(REDACTED.to_owned())
                    } else {
                        json(item)
                    };
                    (key.clone(), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(json).collect()),
        other => other.clone(),
    }
}

/// A URL with its password and the values of secret-looking query parameters redacted.
///
/// ```
/// use connector_sdk::redact::url;
///
/// assert_eq!(
///     url("https://u:pw@api.example.com/users?limit=5&api_key=abc"),
///     "https://u:[REDACTED]@api.example.com/users?limit=5&api_key=[REDACTED]"
/// );
/// ```
pub fn url(text: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(text) else {
        return text.to_owned();
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some(REDACTED));
    }
    if parsed.query().is_some() {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if is_secret_key(&k) || k == "code" {
                    REDACTED.to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // Keep the brackets of the marker readable.
    parsed.to_string().replace("%5BREDACTED%5D", REDACTED)
}

/// The first `limit` characters of an app's body, for error messages, with secret-looking JSON
/// values redacted when the body is JSON.
pub(crate) fn body_excerpt(body: &[u8], limit: usize) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(value) => json(&value).to_string(),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
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
    fn excerpts_are_redacted_and_short() {
        let body = br#"{"error": "bad", "access_token": "tok-123"}"#;
        let text = body_excerpt(body, 200);
        assert!(!text.contains("tok-123"));
        assert_eq!(body_excerpt(b"abcdef", 3), "abc…");
    }
}
