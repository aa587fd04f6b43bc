//! The OAuth exchanges themselves: the authorization URL, token requests, token responses.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{ClientAuth, Endpoint, OAuthSettings, TokenEncoding, TokenMethod};
use crate::http::{ApiPath, Header, HttpClient, Method};
use crate::wire::{AuthorizationUrl, ErrorCode, OauthCredentials, Secret, TokenType};
use crate::{ConnectorError, Context};

/// A fresh PKCE verifier and its S256 challenge.
pub(crate) fn pkce_pair() -> Result<(String, String), ConnectorError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ConnectorError::internal_error(format!("No randomness for PKCE: {e}")))?;
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Ok((verifier, challenge))
}

/// A blank `client_id` can only be refused by the provider, less clearly: refuse it here.
fn require_client_id(client_id: &str) -> Result<(), ConnectorError> {
    if client_id.trim().is_empty() {
        return Err(ConnectorError::bad_request(
            "Invalid request - request.client_id must not be empty",
        ));
    }
    Ok(())
}

/// The scope to ask for: the request's, else every configured one.
pub(crate) fn scope_for<S>(settings: &OAuthSettings<S>, requested: &[String]) -> String {
    if requested.is_empty() {
        settings.default_scope()
    } else {
        requested.join(" ")
    }
}

/// Builds the URL of the provider's consent page (no HTTP call).
pub(crate) fn authorization_url<S>(
    settings: &OAuthSettings<S>,
    authorization: &Endpoint<S>,
    connector_settings: &S,
    request: &crate::wire::GetAuthorizationUrl,
) -> Result<AuthorizationUrl, ConnectorError> {
    require_client_id(&request.client_id)?;
    let base = authorization.resolve(connector_settings);
    let mut url = url::Url::parse(&base).map_err(|e| {
        ConnectorError::invalid_value(format!(
            "The authorization URL `{}` is not valid: {e}",
            crate::redact::url(&base)
        ))
    })?;
    // A browser is sent there: it must not carry the credentials of a settings URL.
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_password(None);
        let _ = url.set_username("");
    }
    let verifier = if settings.pkce {
        let (verifier, challenge) = pkce_pair()?;
        Some((verifier, challenge))
    } else {
        None
    };
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("client_id", &request.client_id)
            .append_pair("response_type", "code")
            .append_pair("scope", &scope_for(settings, &request.scopes))
            .append_pair("redirect_uri", &request.redirect_uri)
            .append_pair("state", &request.state);
        if let Some((_, challenge)) = &verifier {
            query
                .append_pair("code_challenge", challenge)
                .append_pair("code_challenge_method", "S256");
        }
    }
    Ok(AuthorizationUrl {
        authorization_url: url.into(),
        code_verifier: verifier.map(|(v, _)| v),
    })
}

/// What the callback URL carries.
#[derive(Debug)]
pub(crate) struct Callback {
    pub(crate) code: String,
    pub(crate) state: Option<String>,
    /// Scheme, host and path: the `redirect_uri` the token request repeats.
    pub(crate) redirect_uri: String,
}

/// Reads `code` and `state` from the redirect the provider sent the user to.
pub(crate) fn parse_callback(redirect_uri_with_code: &str) -> Result<Callback, ConnectorError> {
    let url = url::Url::parse(redirect_uri_with_code).map_err(|e| {
        ConnectorError::bad_request(format!(
            "Invalid request - request.redirect_uri_with_code is not a URL: {e}"
        ))
    })?;
    let param = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    if let Some(error) = param("error") {
        let description = param("error_description").unwrap_or_default();
        let code = match error.as_str() {
            "access_denied" => ErrorCode::PermissionDenied,
            _ => ErrorCode::BadRequest,
        };
        return Err(ConnectorError::new(
            code,
            format!("The provider refused the authorization: {error} {description}")
                .trim_end()
                .to_owned(),
        ));
    }
    let code = param("code").ok_or_else(|| {
        ConnectorError::bad_request(
            "Invalid request - request.redirect_uri_with_code has no `code` parameter",
        )
    })?;
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    Ok(Callback {
        code,
        state: param("state"),
        redirect_uri: base.into(),
    })
}

/// Sends a token request and reads the provider's answer.
///
/// `grant` holds the grant's own fields in order; client authentication, encoding and method
/// come from the settings. Returns the credentials and the provider's JSON (for `raw_data`).
pub(crate) async fn token_request<S>(
    settings: &OAuthSettings<S>,
    ctx: &Context<S>,
    mut fields: Vec<(&'static str, String)>,
    client_id: &str,
    client_secret: &Secret,
) -> Result<(OauthCredentials, Value), ConnectorError> {
    require_client_id(client_id)?;
    let token_url = settings.token_url.resolve(ctx.settings());
    let basic = match settings.client_auth {
        ClientAuth::Basic => Some((client_id, client_secret)),
        ClientAuth::Post => {
            fields.push(("client_id", client_id.to_owned()));
            fields.push(("client_secret", client_secret.expose().to_owned()));
            None
        }
    };
    send_token_request(
        ctx,
        &token_url,
        settings.method,
        settings.encoding,
        &fields,
        basic,
    )
    .await
}

/// A token request without client authentication (an assertion grant, RFC 7523), POSTed as a
/// form to `token_url`.
pub(crate) async fn post_token<S>(
    ctx: &Context<S>,
    token_url: &str,
    fields: Vec<(&'static str, String)>,
) -> Result<(OauthCredentials, Value), ConnectorError> {
    send_token_request(
        ctx,
        token_url,
        TokenMethod::Post,
        TokenEncoding::Form,
        &fields,
        None,
    )
    .await
}

/// Sends a token request (`basic`: client authentication with `Authorization: Basic`) and
/// reads the provider's answer.
async fn send_token_request<S>(
    ctx: &Context<S>,
    token_url: &str,
    method: TokenMethod,
    encoding: TokenEncoding,
    fields: &[(&'static str, String)],
    basic: Option<(&str, &Secret)>,
) -> Result<(OauthCredentials, Value), ConnectorError> {
    let mut builder = HttpClient::builder(token_url.to_owned())
        .user_agent(ctx.app_id(), ctx.version())
        .retry(ctx.retry_policy().clone())
        .deadline_of(ctx.deadline_state())
        .recorder(ctx.recorder_session())
        .no_redirects();
    if let Some((client_id, client_secret)) = basic {
        builder = builder.basic(client_id, client_secret.clone());
    }
    let client = builder.build()?;
    let method = match method {
        TokenMethod::Post => Method::Post,
        TokenMethod::Get => Method::Get,
    };
    let mut request = client
        .request(method, ApiPath::root())
        .header(&Header::ACCEPT, "application/json");
    request = match encoding {
        TokenEncoding::Form => request.form(fields),
        TokenEncoding::Json => {
            let object: Map<String, Value> = fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
                .collect();
            request.json_body(&object)
        }
        TokenEncoding::Query => request.query(fields),
    };
    let response = request.send_any_status().await?;
    let status = response.status();
    let body = response.into_bytes();
    if !(200..300).contains(&status) {
        return Err(token_error(status, token_url, &body));
    }
    let mut json: Value = serde_json::from_slice(&body).map_err(|_| {
        ConnectorError::invalid_response(format!(
            "The token endpoint answered with something that is not JSON: {}",
            crate::redact::body_excerpt(&body, 120)
        ))
        .with_status_code(status)
    })?;
    let object = json.as_object_mut().ok_or_else(|| {
        ConnectorError::invalid_response(
            "The token endpoint answered with JSON that is not an object",
        )
    })?;
    let token_type = object
        .get("token_type")
        .and_then(Value::as_str)
        .map_or_else(|| "bearer".to_owned(), str::to_ascii_lowercase);
    object.insert("token_type".into(), Value::String(token_type.clone()));
    if token_type != "bearer" {
        return Err(ConnectorError::invalid_response(format!(
            "The token endpoint issued a `{token_type}` token; only bearer tokens are supported"
        )));
    }
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let access_token = text("access_token").ok_or_else(|| {
        ConnectorError::invalid_response("The token endpoint's answer has no access_token")
    })?;
    let credentials = OauthCredentials {
        access_token: Secret::from(access_token),
        refresh_token: text("refresh_token").map(Secret::from),
        token_type: TokenType::Bearer,
        state: text("state"),
    };
    Ok((credentials, json))
}

/// A failed token request: the RFC 6749 `error` decides the code, the provider's
/// `error_description` is in the message.
pub(crate) fn token_error(status: u16, token_url: &str, body: &[u8]) -> ConnectorError {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let field = |key: &str| {
        json.as_ref()
            .and_then(|j| j.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let error = field("error");
    let code = match (error.as_deref(), status) {
        (_, 429) => ErrorCode::RateLimit,
        (_, 500..) => ErrorCode::ApiError,
        (Some("invalid_grant"), _) => ErrorCode::AuthenticationExpired,
        (Some("invalid_client" | "unauthorized_client"), _) => ErrorCode::Unauthorized,
        (Some("access_denied"), _) | (_, 403) => ErrorCode::PermissionDenied,
        (_, status) => ErrorCode::for_http_status(status),
    };
    let detail = match (error, field("error_description")) {
        (Some(error), Some(description)) => format!("{error}: {description}"),
        (Some(error), None) => error,
        (None, _) if body.is_empty() => String::new(),
        (None, _) => crate::redact::body_excerpt(body, 200),
    };
    let url = crate::redact::text(&crate::http::strip_query(token_url));
    let message = if detail.is_empty() {
        format!("The OAuth token request to '{url}' failed with HTTP {status}")
    } else {
        format!("The OAuth token request to '{url}' failed with HTTP {status}: {detail}")
    };
    ConnectorError::new(code, message).with_status_code(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_give_code_state_and_base() {
        let cb = parse_callback("https://app.example.com/cb/path?code=C0DE&state=s1#frag").unwrap();
        assert_eq!(cb.code, "C0DE");
        assert_eq!(cb.state.as_deref(), Some("s1"));
        assert_eq!(cb.redirect_uri, "https://app.example.com/cb/path");
        let denied = parse_callback("https://a/cb?error=access_denied").unwrap_err();
        assert_eq!(denied.code(), ErrorCode::PermissionDenied);
        assert_eq!(
            parse_callback("https://a/cb?x=1").unwrap_err().code(),
            ErrorCode::BadRequest
        );
    }

    #[test]
    fn token_errors_by_rfc6749_code() {
        let cases = [
            (
                400,
                r#"{"error":"invalid_grant","error_description":"expired"}"#,
                ErrorCode::AuthenticationExpired,
            ),
            (
                401,
                r#"{"error":"invalid_client"}"#,
                ErrorCode::Unauthorized,
            ),
            (
                400,
                r#"{"error":"unauthorized_client"}"#,
                ErrorCode::Unauthorized,
            ),
            (
                400,
                r#"{"error":"access_denied"}"#,
                ErrorCode::PermissionDenied,
            ),
            (429, "", ErrorCode::RateLimit),
            (503, "oops", ErrorCode::ApiError),
            (400, r#"{"error":"invalid_request"}"#, ErrorCode::BadRequest),
        ];
        for (status, body, code) in cases {
            let error = token_error(status, "https://p/token?x=1", body.as_bytes());
            assert_eq!(error.code(), code, "{status} {body}");
            assert_eq!(error.status_code(), Some(status));
            assert!(!error.message().contains("x=1"));
        }
        let error = token_error(
            400,
            "https://p/token",
            br#"{"error":"invalid_grant","error_description":"expired"}"#,
        );
        assert!(
            error.message().ends_with("invalid_grant: expired"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn pkce_challenge_is_s256_of_the_verifier() {
        let (verifier, challenge) = pkce_pair().unwrap();
        assert_eq!(verifier.len(), 43);
        assert_eq!(
            challenge,
            URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
        );
    }
}
