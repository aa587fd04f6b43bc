//! Keeping request values, and secrets in particular, out of error messages.

use serde_json::Value;

use crate::wire::AuthCredential;

/// Rewrites a serde error message so it names the kind of a bad value but not the value:
/// `invalid type: string "hunter2", expected u32` becomes `invalid type: string, expected u32`.
pub(crate) fn serde_message(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some(expected_at) = rest.find(", expected")
        {
            let found = &rest[..expected_at];
            let kind = found.split([' ', '`', '"']).next().unwrap_or(found);
            let kind = match kind {
                "floating" => "number",
                "" => "value",
                other => other,
            };
            return format!("{prefix}{kind}{}", &rest[expected_at..]);
        }
    }
    message.to_owned()
}

/// The secret values of a request: credential secrets and secret settings fields.
#[derive(Debug, Default)]
pub(crate) struct Secrets(Vec<String>);

impl Secrets {
    /// Collects the secrets of a credential.
    pub(crate) fn add_auth(&mut self, auth: &AuthCredential) {
        if let Some(basic) = &auth.basic {
            self.push(basic.password.expose());
        }
        if let Some(token) = &auth.token {
            self.push(token.token.expose());
        }
        if let Some(oauth) = &auth.oauth {
            self.push(oauth.access_token.expose());
        }
        if let Some(cc) = &auth.oauth_client_credentials {
            self.push(cc.access_token.expose());
            self.push(cc.client_secret.expose());
        }
    }

    /// Collects the string values of the named settings fields.
    pub(crate) fn add_fields(&mut self, object: &Value, secret_fields: &[String]) {
        for field in secret_fields {
            if let Some(Value::String(value)) = object.get(field) {
                self.push(value);
            }
        }
    }

    /// Collects the string values of secret-looking keys (`client_secret`, `refresh_token`, …)
    /// anywhere in a document.
    pub(crate) fn add_secret_keys(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    match item {
                        Value::String(text) if crate::redact::is_secret_key(key) => self.push(text),
                        other => self.add_secret_keys(other),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.add_secret_keys(item)),
            _ => {}
        }
    }

    /// Collects a raw secret value.
    pub(crate) fn push(&mut self, value: &str) {
        // Shorter values would mangle ordinary words without protecting anything.
        if value.len() >= 3 && !self.0.iter().any(|s| s == value) {
            self.0.push(value.to_owned());
        }
    }

    /// Replaces every secret in `text` with `[REDACTED]`, longest first.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut sorted: Vec<&String> = self.0.iter().collect();
        sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut out = text.to_owned();
        for secret in sorted {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "[REDACTED]");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_lose_the_value() {
        assert_eq!(
            serde_message("invalid type: string \"hunter2\", expected u32"),
            "invalid type: string, expected u32"
        );
        assert_eq!(
            serde_message("invalid value: integer `-1`, expected u32"),
            "invalid value: integer, expected u32"
        );
        assert_eq!(
            serde_message("missing field `host`"),
            "missing field `host`"
        );
    }

    #[test]
    fn scrub_replaces_every_secret() {
        let mut secrets = Secrets::default();
        secrets.push("s3cret");
        secrets.push("ab");
        assert_eq!(
            secrets.scrub("x s3cret y s3cret"),
            "x [REDACTED] y [REDACTED]"
        );
        assert_eq!(secrets.scrub("ab"), "ab");
    }
}
