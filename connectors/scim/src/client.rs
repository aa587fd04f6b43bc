//! The SCIM 2.0 API (RFC 7643/7644) as the connector uses it, through the SDK's HTTP client.

use connector_sdk::http::{ApiPath, Header, HttpClient, Response};
use connector_sdk::wire::ErrorCode;
use connector_sdk::{ConnectorError, Context};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::ScimConnectorSettings;

/// The SCIM schema URNs the connector writes.
pub(crate) const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SCIM_JSON: &str = "application/scim+json";

/// What the server says it supports (`/ServiceProviderConfig`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Features {
    pub(crate) patch: bool,
    pub(crate) etag: bool,
    pub(crate) filter: bool,
}

/// One page of a SCIM list (`ListResponse`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ListResponse<T> {
    pub(crate) total_results: u64,
    #[serde(default = "Vec::new", rename = "Resources")]
    pub(crate) resources: Vec<T>,
    #[serde(default)]
    pub(crate) start_index: Option<u64>,
}

/// A SCIM user, with the attributes the connector maps.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct User {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) user_name: Option<String>,
    #[serde(default)]
    pub(crate) name: Option<Name>,
    #[serde(default)]
    pub(crate) emails: Vec<Email>,
    #[serde(default)]
    pub(crate) active: Option<bool>,
    /// Every attribute, for the configured custom attributes.
    #[serde(flatten)]
    pub(crate) rest: serde_json::Map<String, Value>,
}

/// `name`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Name {
    #[serde(default)]
    pub(crate) given_name: Option<String>,
    #[serde(default)]
    pub(crate) family_name: Option<String>,
}

/// One of `emails`.
#[derive(Debug, Deserialize)]
pub(crate) struct Email {
    pub(crate) value: String,
    #[serde(default)]
    pub(crate) primary: Option<bool>,
}

/// A SCIM group; `members` only when asked for.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Group {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) display_name: Option<String>,
    #[serde(default)]
    pub(crate) members: Vec<Member>,
}

/// One of a group's `members`.
#[derive(Debug, Deserialize)]
pub(crate) struct Member {
    pub(crate) value: String,
    #[serde(default, rename = "type")]
    pub(crate) kind: Option<String>,
    #[serde(default, rename = "$ref")]
    pub(crate) reference: Option<String>,
}

impl Member {
    /// Whether the member is a user (not a nested group).
    pub(crate) fn is_user(&self) -> bool {
        match (&self.kind, &self.reference) {
            (Some(kind), _) => kind.eq_ignore_ascii_case("user"),
            (None, Some(reference)) => !reference.contains("/Groups/"),
            (None, None) => true,
        }
    }
}

/// The SCIM server at `settings.base_url`, with the request's credential.
#[derive(Debug)]
pub(crate) struct Scim {
    http: HttpClient,
}

impl Scim {
    pub(crate) fn new(ctx: &Context<ScimConnectorSettings>) -> Result<Self, ConnectorError> {
        Ok(Self {
            http: ctx.http(ctx.settings().base_url())?,
        })
    }

    /// The server's supported features; a server without the endpoint supports neither.
    pub(crate) async fn features(&self) -> Result<Features, ConnectorError> {
        let answer = self
            .http
            .get("/ServiceProviderConfig")
            .send_any_status()
            .await?;
        if answer.status() == 404 {
            return Ok(Features::default());
        }
        let config: Value = read(answer)?;
        let supported = |key: &str| config[key]["supported"].as_bool().unwrap_or(false);
        Ok(Features {
            patch: supported("patch"),
            etag: supported("etag"),
            filter: supported("filter"),
        })
    }

    /// One page of `/Users` or `/Groups` (1-based `start`).
    pub(crate) async fn list<T: DeserializeOwned>(
        &self,
        route: &str,
        start: u64,
        count: u32,
        attributes: Option<&str>,
    ) -> Result<ListResponse<T>, ConnectorError> {
        self.search(route, None, start, count, attributes).await
    }

    /// One page of `/Users` or `/Groups` matching a SCIM `filter` (built by the caller with
    /// [`filter_string`] for every value), or all of them without one.
    pub(crate) async fn search<T: DeserializeOwned>(
        &self,
        route: &str,
        filter: Option<&str>,
        start: u64,
        count: u32,
        attributes: Option<&str>,
    ) -> Result<ListResponse<T>, ConnectorError> {
        let (start, count) = (start.to_string(), count.to_string());
        let mut request = self.http.get(route);
        if let Some(filter) = filter {
            request = request.query_pair("filter", filter);
        }
        request = request
            .query_pair("startIndex", &start)
            .query_pair("count", &count)
            // Creation order: an account created during a sync lands after the pages already
            // read, instead of shifting them (servers without sorting ignore it, RFC 7644).
            .query_pair("sortBy", "meta.created");
        if let Some(attributes) = attributes {
            request = request.query_pair("attributes", attributes);
        }
        read(request.send_any_status().await?)
    }

    /// `GET /Users/{id}`: the user as the server sends it, and its ETag if it sent one.
    pub(crate) async fn user(&self, id: &str) -> Result<(Value, Option<String>), ConnectorError> {
        let path = ApiPath::new("/Users").id("request.account_id", id);
        let answer = self.http.get(path).send_any_status().await?;
        let etag = answer.header(&Header::ETAG).map(str::to_owned);
        let user: Value = read(answer)?;
        if !user.is_object() {
            return Err(ConnectorError::invalid_response(
                "The SCIM server answered GET /Users/{id} with something that is not a User",
            ));
        }
        Ok((user, etag))
    }

    /// `PATCH /Users/{id}` with these PatchOp operations.
    pub(crate) async fn patch_user(
        &self,
        id: &str,
        operations: Vec<Value>,
    ) -> Result<(), ConnectorError> {
        let patch = json!({"schemas": [PATCH_SCHEMA], "Operations": operations});
        let path = ApiPath::new("/Users").id("request.account_id", id);
        expect_success(
            self.http
                .patch(path)
                .body(serde_json::to_vec(&patch)?, SCIM_JSON)
                .send_any_status()
                .await?,
        )
    }

    /// `PUT /Users/{id}` of a whole user (its `meta` left out), with `If-Match` when the
    /// server announces ETags and sent one.
    pub(crate) async fn put_user(
        &self,
        id: &str,
        mut user: Value,
        etag: Option<&str>,
        features: Features,
    ) -> Result<(), ConnectorError> {
        if let Some(object) = user.as_object_mut() {
            object.remove("meta");
        }
        let path = ApiPath::new("/Users").id("request.account_id", id);
        let mut request = self
            .http
            .put(path)
            .body(serde_json::to_vec(&user)?, SCIM_JSON);
        if let (Some(etag), true) = (etag, features.etag) {
            request = request.header(&Header::IF_MATCH, etag);
        }
        expect_success(request.send_any_status().await?)
    }

    /// `POST /Users`.
    pub(crate) async fn create_user(&self, user: &Value) -> Result<User, ConnectorError> {
        let body = serde_json::to_vec(user)?;
        read(
            self.http
                .post("/Users")
                .body(body, SCIM_JSON)
                .send_any_status()
                .await?,
        )
    }

    /// `DELETE /Users/{id}`.
    pub(crate) async fn delete_user(&self, id: &str) -> Result<(), ConnectorError> {
        let path = ApiPath::new("/Users").id("request.account_id", id);
        expect_success(self.http.delete(path).send_any_status().await?)
    }

    /// Sets `active`: a PATCH when the server supports it, else GET + PUT with the ETag.
    pub(crate) async fn set_active(
        &self,
        id: &str,
        active: bool,
        features: Features,
    ) -> Result<(), ConnectorError> {
        let path = ApiPath::new("/Users").id("request.account_id", id);
        if features.patch {
            let patch = json!({
                "schemas": [PATCH_SCHEMA],
                "Operations": [{"op": "replace", "path": "active", "value": active}],
            });
            let body = serde_json::to_vec(&patch)?;
            return expect_success(
                self.http
                    .patch(path)
                    .body(body, SCIM_JSON)
                    .send_any_status()
                    .await?,
            );
        }
        let current = self.http.get(&path).send_any_status().await?;
        let etag = current.header(&Header::ETAG).map(str::to_owned);
        let mut user: Value = read(current)?;
        user["active"] = json!(active);
        if let Some(meta) = user.as_object_mut() {
            meta.remove("meta");
        }
        let mut request = self
            .http
            .put(path)
            .body(serde_json::to_vec(&user)?, SCIM_JSON);
        if let (Some(etag), true) = (etag, features.etag) {
            request = request.header(&Header::IF_MATCH, &etag);
        }
        expect_success(request.send_any_status().await?)
    }

    /// Adds or removes a user in a group's `members` (PATCH).
    pub(crate) async fn membership(
        &self,
        group: &str,
        user: &str,
        member: bool,
    ) -> Result<(), ConnectorError> {
        let operation = if member {
            json!({"op": "add", "path": "members", "value": [{"value": user}]})
        } else {
            let quoted = serde_json::to_string(user)?;
            json!({"op": "remove", "path": format!("members[value eq {quoted}]")})
        };
        let patch = json!({"schemas": [PATCH_SCHEMA], "Operations": [operation]});
        let path = ApiPath::new("/Groups").id("request.resource_integration_specific_id", group);
        let body = serde_json::to_vec(&patch)?;
        expect_success(
            self.http
                .patch(path)
                .body(body, SCIM_JSON)
                .send_any_status()
                .await?,
        )
    }
}

/// A SCIM filter's string value (RFC 7644 §3.4.2.2): a JSON string, so `"` and `\\` are escaped
/// and the value can never end the string and add filter syntax of its own.
pub(crate) fn filter_string(value: &str) -> String {
    // Serializing a `&str` cannot fail; the fallback only keeps this function total.
    serde_json::to_string(value).unwrap_or_else(|_| String::from("\"\""))
}

/// A success answer's JSON, or the SCIM error it carries.
fn read<T: DeserializeOwned>(answer: Response) -> Result<T, ConnectorError> {
    if answer.is_success() {
        answer.json()
    } else {
        Err(scim_error(answer))
    }
}

fn expect_success(answer: Response) -> Result<(), ConnectorError> {
    if answer.is_success() {
        Ok(())
    } else {
        Err(scim_error(answer))
    }
}

/// A SCIM error (`status`, `scimType`, `detail`; RFC 7644 §3.12) as a protocol error, with the
/// server's detail in the message.
pub(crate) fn scim_error(answer: Response) -> ConnectorError {
    let status = answer.status();
    let body: Value = serde_json::from_slice(answer.bytes()).unwrap_or(Value::Null);
    let scim_type = body["scimType"].as_str().unwrap_or_default().to_owned();
    let detail = body["detail"].as_str().unwrap_or_default().to_owned();
    let code = match (status, scim_type.as_str()) {
        (_, "uniqueness" | "mutability" | "invalidValue" | "invalidSyntax" | "noTarget") => {
            Some(ErrorCode::InvalidValue)
        }
        (_, "invalidFilter" | "invalidPath" | "tooMany" | "invalidVers") => {
            Some(ErrorCode::BadRequest)
        }
        (412, _) => Some(ErrorCode::ApiError),
        // The status through each protocol's own table (a 500 is 4.x's `bad_gateway`).
        _ => None,
    };
    let what = if scim_type.is_empty() {
        format!("SCIM error {status}")
    } else {
        format!("SCIM error {status} ({scim_type})")
    };
    let message = match (detail.is_empty(), status) {
        (true, 412) => format!("{what}: the resource changed since it was read (stale ETag)"),
        (true, _) => what,
        (false, _) => format!("{what}: {detail}"),
    };
    let error = match code {
        Some(code) => ConnectorError::new(code, message).with_status_code(status),
        None => ConnectorError::for_http_status(status, message),
    };
    if scim_type.is_empty() {
        error
    } else {
        error.with_app_error_code(scim_type)
    }
}
