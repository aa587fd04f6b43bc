//! The request and success envelopes, generic over the capability payloads.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{AuthCredential, ExecutionSummary, Page, RateLimitResponseInfo};

/// A request payload of the protocol, and whether its envelope carries `auth`.
///
/// Every capability's request type implements it; the OAuth capabilities' requests have no
/// `auth` (they are how a credential is obtained).
pub trait Payload: Serialize + for<'de> Deserialize<'de> + JsonSchema + Send + 'static {
    /// Whether the envelope of this payload requires `auth`.
    const AUTHENTICATED: bool;
}

/// The request envelope: `{"auth":…,"request":…,"settings":…,"page":…,"include_raw_data":…}`.
///
/// `A` is the capability's request payload. Unknown keys are ignored at every level.
///
/// ```
/// use connector_sdk::wire::{ListAccounts, Request};
///
/// let req: Request<ListAccounts> = serde_json::from_str(
///     r#"{"auth":{"token":{"token":"t"}},"request":{},"page":{"size":10},"future_key":1}"#,
/// )
/// .unwrap();
/// assert_eq!(req.page.unwrap().size, Some(10));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(deserialize = "A: Payload"))]
pub struct Request<A> {
    /// The credential (absent for the OAuth capabilities, whose envelopes ignore any `auth`).
    #[serde(
        default,
        deserialize_with = "auth_of::<A, _>",
        skip_serializing_if = "Option::is_none"
    )]
    pub auth: Option<AuthCredential>,
    /// The capability's payload.
    pub request: A,
    /// Whether the caller wants `raw_data` in the answer.
    #[serde(default)]
    pub include_raw_data: Option<bool>,
    /// The page to fetch.
    #[serde(default)]
    pub page: Option<Page>,
    /// The connector's settings, validated against its settings type before a handler runs.
    #[serde(default)]
    pub settings: Option<Map<String, Value>>,
}

/// Reads `auth` if the payload's envelope has one; otherwise it is an unknown key, ignored
/// whatever its value.
fn auth_of<'de, A: Payload, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<AuthCredential>, D::Error> {
    if A::AUTHENTICATED {
        Option::deserialize(deserializer)
    } else {
        IgnoredAny::deserialize(deserializer).map(|_| None)
    }
}

impl<A> Request<A> {
    /// A request with only a payload.
    pub fn new(request: A) -> Self {
        Self {
            auth: None,
            request,
            settings: None,
            page: None,
            include_raw_data: None,
        }
    }
}

impl<A: Payload> JsonSchema for Request<A> {
    fn schema_name() -> Cow<'static, str> {
        format!("{}Request", A::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut properties = Map::new();
        let mut required = vec![Value::from("request")];
        if A::AUTHENTICATED {
            properties.insert(
                "auth".into(),
                generator.subschema_for::<AuthCredential>().into(),
            );
            required.insert(0, "auth".into());
        }
        properties.insert("request".into(), generator.subschema_for::<A>().into());
        properties.insert(
            "settings".into(),
            generator
                .subschema_for::<Option<Map<String, Value>>>()
                .into(),
        );
        properties.insert(
            "page".into(),
            generator.subschema_for::<Option<Page>>().into(),
        );
        properties.insert(
            "include_raw_data".into(),
            generator.subschema_for::<Option<bool>>().into(),
        );
        json_schema!({
            "type": "object",
            "properties": properties,
            "required": required,
        })
    }
}

/// A key that a later protocol version added to a document: absent from the documents of the
/// versions before it, written (`null` or a value) in those of the versions that have it.
///
/// ```
/// use connector_sdk::wire::Added;
///
/// #[derive(serde::Serialize)]
/// struct Doc {
///     #[serde(skip_serializing_if = "Added::is_absent")]
///     extra: Added<u8>,
/// }
/// assert_eq!(serde_json::to_string(&Doc { extra: Added::Absent }).unwrap(), "{}");
/// assert_eq!(serde_json::to_string(&Doc { extra: Added::Null }).unwrap(), r#"{"extra":null}"#);
/// assert_eq!(serde_json::to_string(&Doc { extra: Added::Value(1) }).unwrap(), r#"{"extra":1}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Added<T> {
    /// Not written: the document's protocol does not have the key.
    #[default]
    Absent,
    /// Written as `null`.
    Null,
    /// Written as the value.
    Value(T),
}

impl<T> Added<T> {
    /// Whether the key is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T: Serialize> Serialize for Added<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Added<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}

impl<T: JsonSchema> JsonSchema for Added<T> {
    fn schema_name() -> Cow<'static, str> {
        Option::<T>::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Option::<T>::json_schema(generator)
    }
}

/// The success envelope: `{"response":…,"raw_data":…,"page":…}`, plus
/// `"rate_limit":…,"execution_summary":…` in protocol 4.
///
/// `R` is the capability's response payload (a `Vec` for listings). A non-null `page` means
/// there is more to fetch.
///
/// ```
/// use connector_sdk::wire::{Response, ValidatedCredentials};
///
/// let ok = Response::new(ValidatedCredentials { valid: true, unique_tenant_id: "t".into() });
/// assert_eq!(
///     serde_json::to_string(&ok).unwrap(),
///     r#"{"response":{"valid":true,"unique_tenant_id":"t"},"raw_data":null,"page":null}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response<R> {
    /// The capability's answer.
    pub response: R,
    /// The app's raw answer, when the caller asked for it and the connector gives it.
    #[serde(default)]
    pub raw_data: Option<Value>,
    /// The next page, or `null` when this was the last.
    #[serde(default)]
    pub page: Option<Page>,
    /// Protocol 4: the state of the app's rate limits at the end of the call.
    #[serde(default, skip_serializing_if = "Added::is_absent")]
    pub rate_limit: Added<RateLimitResponseInfo>,
    /// Protocol 4: what a write did, as the connector tells it.
    #[serde(default, skip_serializing_if = "Added::is_absent")]
    pub execution_summary: Added<ExecutionSummary>,
}

impl<R> Response<R> {
    /// A response with `raw_data` and `page` null (and, as in 3.7.8, no `rate_limit` or
    /// `execution_summary` keys).
    pub fn new(response: R) -> Self {
        Self {
            response,
            raw_data: None,
            page: None,
            rate_limit: Added::Absent,
            execution_summary: Added::Absent,
        }
    }

    /// The same response as protocol 4 writes it: `rate_limit` and `execution_summary` keys
    /// present (null unless set).
    #[must_use]
    pub fn in_protocol_4(mut self) -> Self {
        if self.rate_limit.is_absent() {
            self.rate_limit = Added::Null;
        }
        if self.execution_summary.is_absent() {
            self.execution_summary = Added::Null;
        }
        self
    }
}

impl<R: JsonSchema> JsonSchema for Response<R> {
    fn schema_name() -> Cow<'static, str> {
        format!("Response_for_{}", R::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "properties": {
                "response": generator.subschema_for::<R>(),
                "raw_data": generator.subschema_for::<Option<Value>>(),
                "page": generator.subschema_for::<Option<Page>>(),
            },
            "required": ["response"],
        })
    }
}
