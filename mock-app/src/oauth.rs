//! The app's OAuth provider: an authorization endpoint with automatic consent and a token
//! endpoint for the `authorization_code`, `refresh_token` and `client_credentials` grants.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

use crate::{AppState, error};

/// Tokens and codes the provider issued.
#[derive(Debug, Default)]
pub(crate) struct OAuthState {
    /// Issued authorization codes → the redirect URI they were issued for.
    codes: HashMap<String, String>,
    pub(crate) access_tokens: HashSet<String>,
    refresh_tokens: HashSet<String>,
}

#[derive(Deserialize)]
pub(crate) struct AuthorizeQuery {
    client_id: String,
    redirect_uri: String,
    #[serde(default)]
    state: Option<String>,
    response_type: String,
}

pub(crate) async fn authorize(
    State(state): State<Arc<AppState>>,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    if query.client_id != state.config.client_id || query.response_type != "code" {
        return error(StatusCode::BAD_REQUEST, "unknown client or response type");
    }
    let code = state.token("code");
    state
        .oauth()
        .codes
        .insert(code.clone(), query.redirect_uri.clone());
    let mut location = match url_with(&query.redirect_uri, &[("code", &code)]) {
        Some(location) => location,
        None => return error(StatusCode::BAD_REQUEST, "redirect_uri is not a URL"),
    };
    if let Some(st) = &query.state {
        location = url_with(&location, &[("state", st)]).unwrap_or(location);
    }
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// `url` with query parameters appended.
fn url_with(url: &str, pairs: &[(&str, &str)]) -> Option<String> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    if !base.contains("://") {
        return None;
    }
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    for (key, value) in pairs {
        parts.push(format!("{key}={}", encode(value)));
    }
    Some(format!("{base}?{}", parts.join("&")))
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn oauth_error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": code, "error_description": description})),
    )
        .into_response()
}

pub(crate) async fn token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let (client_id, client_secret) =
        match (&basic, form.get("client_id"), form.get("client_secret")) {
            (Some(pair), _, _) => match pair.split_once(':') {
                Some((id, secret)) => (id.to_owned(), secret.to_owned()),
                None => (String::new(), String::new()),
            },
            (None, Some(id), Some(secret)) => (id.clone(), secret.clone()),
            _ => (String::new(), String::new()),
        };
    if client_id != state.config.client_id || client_secret != state.config.client_secret {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client or wrong secret",
        );
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let with_refresh = match field("grant_type").as_str() {
        "authorization_code" => {
            let issued_for = state.oauth().codes.remove(&field("code"));
            match issued_for {
                Some(redirect)
                    if redirect.split('?').next() == Some(field("redirect_uri").as_str()) =>
                {
                    true
                }
                Some(_) => {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "redirect_uri mismatch",
                    );
                }
                None => {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "unknown or used code",
                    );
                }
            }
        }
        "refresh_token" => {
            if !state
                .oauth()
                .refresh_tokens
                .contains(&field("refresh_token"))
            {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown refresh token",
                );
            }
            false
        }
        "client_credentials" => false,
        other => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", other),
    };
    let access = state.token("at");
    let mut body = json!({"access_token": access, "token_type": "Bearer", "expires_in": 3600});
    let mut oauth = state.oauth();
    oauth.access_tokens.insert(access);
    if with_refresh {
        let refresh = state.token("rt");
        oauth.refresh_tokens.insert(refresh.clone());
        body["refresh_token"] = json!(refresh);
    }
    Json(body).into_response()
}
