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

/// The secret values of a request (credential secrets, secret settings fields, secret query
/// parameters and userinfo of URLs), each with the encodings an app or a library may turn it
/// into: base64 (standard and URL-safe, padded or not), JSON string escapes, and, when matched,
/// any percent-encoding (`%xx` in either case, `+` for a space).
#[derive(Debug, Default)]
pub(crate) struct Secrets {
    /// The byte strings to find, longest first.
    needles: Vec<Vec<u8>>,
}

/// How much of a long text is scrubbed at most: enough for every secret the first
/// [`crate::redact::MESSAGE_LIMIT`] bytes could hold.
const WINDOW: usize = 64 * 1024;

impl Secrets {
    /// Collects the secrets of a credential, of every kind: this is the one list of which
    /// fields of a credential are secret (`connector check`, recordings, logs and error
    /// messages all scrub with it).
    pub(crate) fn add_auth(&mut self, auth: &AuthCredential) {
        if let Some(basic) = &auth.basic {
            self.push(basic.password.expose());
            // What an `Authorization: Basic …` header carries.
            self.push_base64(&format!("{}:{}", basic.username, basic.password.expose()));
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
            self.push_base64(&format!("{}:{}", cc.client_id, cc.client_secret.expose()));
        }
        if let Some(jwt) = &auth.jwt {
            self.push_key(jwt.secret.expose());
        }
        if let Some(pair) = &auth.key_pair {
            self.push_key(pair.private_key.expose());
        }
        if let Some(account) = &auth.service_account {
            for (key, value) in account.key.expose() {
                if let Value::String(text) = value
                    && crate::redact::is_secret_key(key)
                {
                    self.push_key(text);
                }
            }
        }
        if let Some(oauth1) = &auth.oauth1 {
            let (consumer, token) = (
                oauth1.consumer_secret.expose(),
                oauth1.token_secret.expose(),
            );
            self.push(consumer);
            self.push(token);
            // The HMAC key of RFC 5849 §3.4.2, which a PLAINTEXT signature sends as it is.
            let encode = |s: &str| {
                percent_encoding::utf8_percent_encode(s, crate::redact::RFC3986_UNRESERVED)
                    .to_string()
            };
            self.push(&format!("{}&{}", encode(consumer), encode(token)));
        }
    }

    /// Collects a key (an HMAC secret, a PEM or OpenSSH private key): the value, and for a
    /// PEM-armoured key its base64 body (whole, and line by line) too, which is what a partial
    /// echo would show.
    fn push_key(&mut self, value: &str) {
        self.push(value);
        if !value.contains("-----BEGIN") {
            return;
        }
        let body: Vec<&str> = value
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("-----") && !line.contains(':'))
            .collect();
        self.push(&body.concat());
        for line in body {
            // Short lines (the last of a block) could match ordinary text.
            if line.len() >= 16 {
                self.push(line);
            }
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
    /// anywhere in a document, and the secrets of every URL-valued string in it.
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
            Value::String(text) if text.contains("://") => self.add_url(text),
            _ => {}
        }
    }

    /// Collects the secrets of every URL-valued string in a document (settings, whose
    /// secret-looking keys such as `token_url` need not hold secrets).
    pub(crate) fn add_urls(&mut self, value: &Value) {
        match value {
            Value::Object(map) => map.values().for_each(|item| self.add_urls(item)),
            Value::Array(items) => items.iter().for_each(|item| self.add_urls(item)),
            Value::String(text) if text.contains("://") => self.add_url(text),
            _ => {}
        }
    }

    /// Collects the password of a URL's userinfo (and the Basic header a client would build
    /// from it) and the values of its secret query parameters, such as OAuth's `code`.
    fn add_url(&mut self, text: &str) {
        let Ok(url) = url::Url::parse(text) else {
            return;
        };
        if let Some(password) = url.password() {
            let decode = |part: &str| {
                url::form_urlencoded::parse(format!("x={}", part.replace('+', "%2B")).as_bytes())
                    .next()
                    .map(|(_, value)| value.into_owned())
                    .unwrap_or_default()
            };
            let (user, decoded) = (decode(url.username()), decode(password));
            self.push(password);
            self.push(&decoded);
            self.push_base64(&format!("{}:{password}", url.username()));
            self.push_base64(&format!("{user}:{decoded}"));
        }
        for (key, value) in url.query_pairs() {
            if crate::redact::is_secret_key(&key) || key.eq_ignore_ascii_case("code") {
                self.push(&value);
            }
        }
    }

    /// Collects a raw secret value.
    pub(crate) fn push(&mut self, value: &str) {
        // Shorter values would mangle ordinary words without protecting anything.
        if value.len() < 3 {
            return;
        }
        self.add_needle(value.as_bytes());
        if let Ok(quoted) = serde_json::to_string(value) {
            let escaped = quoted.get(1..quoted.len() - 1).unwrap_or_default();
            self.add_needle(escaped.as_bytes());
        }
        self.push_base64(value);
    }

    /// Collects the base64 forms of a value (not the value itself).
    fn push_base64(&mut self, value: &str) {
        use base64::Engine;
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        if value.len() < 3 {
            return;
        }
        for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
            self.add_needle(engine.encode(value).as_bytes());
        }
    }

    fn add_needle(&mut self, needle: &[u8]) {
        if needle.is_empty() || self.needles.iter().any(|n| n == needle) {
            return;
        }
        let at = self.needles.partition_point(|n| n.len() >= needle.len());
        self.needles.insert(at, needle.to_vec());
    }

    /// Whether `text` holds a secret, raw or encoded.
    pub(crate) fn found_in(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        (0..bytes.len()).any(|at| {
            self.needles
                .iter()
                .any(|needle| match_at(needle, bytes, at).is_some())
        })
    }

    /// Replaces every secret in `text`, raw or encoded, and the userinfo of every URL, with
    /// `[REDACTED]`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let (mut copied, mut at) = (0, 0);
        while at < bytes.len() {
            let found = if text.is_char_boundary(at) {
                self.needles
                    .iter()
                    .find_map(|needle| match_at(needle, bytes, at))
                    .filter(|&end| text.is_char_boundary(end))
            } else {
                None
            };
            match found {
                Some(end) => {
                    out.push_str(text.get(copied..at).unwrap_or_default());
                    out.push_str(crate::redact::REDACTED);
                    (copied, at) = (end, end);
                }
                None => at += 1,
            }
        }
        out.push_str(text.get(copied..).unwrap_or_default());
        crate::redact::text(&out)
    }

    /// [`Secrets::scrub`], then cut to `limit` bytes with a marker when longer. Only the start
    /// of a very long text is scrubbed: the rest is cut anyway.
    pub(crate) fn clean(&self, text: &str, limit: usize) -> String {
        let longest = self.needles.first().map_or(0, Vec::len);
        // Every `[REDACTED]` kept consumed at most three bytes per byte of its secret.
        let window = WINDOW.max(limit + (limit / 4 + 2) * 3 * longest);
        let mut end = window.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let scrubbed = self.scrub(&text[..end]);
        if end == text.len() && scrubbed.len() <= limit {
            return scrubbed;
        }
        crate::redact::bounded(&scrubbed, limit, text.len())
    }
}

/// Where `needle` ends if it starts at `text[start]`, each of its bytes raw or percent-encoded
/// (and a space possibly as `+`).
fn match_at(needle: &[u8], text: &[u8], start: usize) -> Option<usize> {
    let first = *needle.first()?;
    let head = *text.get(start)?;
    if head != first && head != b'%' && !(first == b' ' && head == b'+') {
        return None;
    }
    // Positions reachable so far: a raw `%` in the needle may match `%` or `%25`.
    let mut positions = vec![start];
    for &want in needle {
        let mut next = Vec::with_capacity(positions.len());
        for &p in &positions {
            match text.get(p) {
                Some(&b) if b == want => next.push(p + 1),
                Some(b'+') if want == b' ' => next.push(p + 1),
                _ => {}
            }
            if text.get(p) == Some(&b'%')
                && let (Some(&hi), Some(&lo)) = (text.get(p + 1), text.get(p + 2))
                && hex(hi).zip(hex(lo)).map(|(hi, lo)| hi << 4 | lo) == Some(want)
            {
                next.push(p + 3);
            }
        }
        next.sort_unstable();
        next.dedup();
        if next.is_empty() {
            return None;
        }
        positions = next;
    }
    positions.last().copied()
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
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

    /// `%XX` escapes in lower case, the rest untouched.
    fn lower_hex(text: &str) -> String {
        let mut out = String::new();
        let mut hex_left = 0;
        for c in text.chars() {
            if hex_left > 0 {
                out.push(c.to_ascii_lowercase());
                hex_left -= 1;
            } else {
                hex_left = if c == '%' { 2 } else { 0 };
                out.push(c);
            }
        }
        out
    }

    fn encodings(secret: &str) -> Vec<String> {
        use base64::Engine;
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let all: String = secret.bytes().map(|b| format!("%{b:02X}")).collect();
        vec![
            secret.to_owned(),
            form.clone(),
            lower_hex(&form),
            form.replace('+', "%20"),
            all.clone(),
            lower_hex(&all),
            STANDARD.encode(secret),
            STANDARD_NO_PAD.encode(secret),
            URL_SAFE.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
            serde_json::to_string(secret).unwrap(),
        ]
    }

    #[test]
    fn scrub_finds_encoded_forms() {
        let secret = "p@ss wörd/+?é\"~%41";
        let mut secrets = Secrets::default();
        secrets.push(secret);
        for form in encodings(secret) {
            let text = format!("before {form} after");
            let out = secrets.scrub(&text);
            assert_eq!(out.matches("[REDACTED]").count(), 1, "{form}: {out}");
            assert!(
                out.starts_with("before ") && out.ends_with(" after"),
                "{out}"
            );
        }
    }

    #[test]
    fn basic_credentials_and_url_secrets_are_collected() {
        use base64::Engine;
        let mut secrets = Secrets::default();
        let auth: AuthCredential = serde_json::from_value(serde_json::json!(
            {"basic": {"username": "ann", "password": "pa55-w0rd"}}
        ))
        .unwrap();
        secrets.add_auth(&auth);
        let header = base64::engine::general_purpose::STANDARD.encode("ann:pa55-w0rd");
        let out = secrets.scrub(&format!("echo: Authorization: Basic {header}"));
        assert_eq!(out, "echo: Authorization: Basic [REDACTED]");

        let mut secrets = Secrets::default();
        secrets.add_secret_keys(&serde_json::json!({
            "base_url": "http://bob:s%2Fcret@h",
            "cb": "https://h/cb?code=AUTH-C0DE&state=s"
        }));
        let basic = base64::engine::general_purpose::STANDARD.encode("bob:s/cret");
        let out = secrets.scrub(&format!("s/cret {basic} AUTH-C0DE state=s"));
        assert_eq!(out, "[REDACTED] [REDACTED] [REDACTED] state=s");
    }

    #[test]
    fn clean_scrubs_before_it_cuts() {
        let mut secrets = Secrets::default();
        secrets.push("0123456789-SECRET");
        let text = format!("{}0123456789-SECRET{}", "x".repeat(1015), "y".repeat(5000));
        let out = secrets.clean(&text, 1024);
        assert!(!out.contains("0123"), "{out}");
        assert!(out.ends_with(&format!("… [truncated, {} bytes in all]", text.len())));
        assert_eq!(secrets.clean("short", 1024), "short");
    }

    proptest::proptest! {
        #[test]
        fn scrub_never_panics(secret in "\\PC{3,12}", text in "\\PC{0,64}") {
            let mut secrets = Secrets::default();
            secrets.push(&secret);
            let out = secrets.clean(&format!("{text}{secret}{text}"), 40);
            proptest::prop_assert!(!out.contains(&secret) || text.contains(&secret) || out.len() < secret.len());
        }
    }
}
