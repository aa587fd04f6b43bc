//! [`Json`]: a capability's answer as JSON, parsed or already written.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// A capability's answer in an envelope: a JSON value, or JSON text the SDK already wrote.
///
/// Dispatch writes a handler's typed answer straight to text (a page of a listing is most of
/// what `serve` does per request; a [`Value`] tree in between cost a third of its CPU), and
/// the envelope copies that text out as it is. [`Json::to_value`] parses it when a caller
/// wants to look inside; two answers are equal when their values are.
///
/// ```
/// use connector_sdk::wire::Json;
/// use serde_json::json;
///
/// let parsed = Json::from(json!({"valid": true}));
/// let written = Json::write(&[1, 2, 3]).unwrap();
/// assert_eq!(written.to_value(), json!([1, 2, 3]));
/// assert_eq!(serde_json::to_string(&written).unwrap(), "[1,2,3]");
/// assert_eq!(parsed, Json::write(&json!({"valid": true})).unwrap());
/// ```
#[derive(Clone)]
pub struct Json(Repr);

#[derive(Clone)]
enum Repr {
    Value(Value),
    Text(Box<RawValue>),
}

impl Json {
    /// Writes `value` as JSON text.
    ///
    /// # Errors
    /// When `value`'s `Serialize` fails (a map with keys that are not strings, say).
    pub fn write<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(|text| Self(Repr::Text(text)))
    }

    /// The answer as a JSON value (text written by the SDK is parsed again).
    pub fn to_value(&self) -> Value {
        match &self.0 {
            Repr::Value(value) => value.clone(),
            Repr::Text(text) => parse(text),
        }
    }

    /// The answer as a JSON value, without a copy when it already is one.
    pub fn into_value(self) -> Value {
        match self.0 {
            Repr::Value(value) => value,
            Repr::Text(text) => parse(&text),
        }
    }
}

/// Text the SDK wrote from a `Serialize` value is valid JSON; should it ever not parse, the
/// value says so rather than panicking.
fn parse(text: &RawValue) -> Value {
    serde_json::from_str(text.get())
        .unwrap_or_else(|e| Value::String(format!("the answer's JSON could not be read back: {e}")))
}

impl From<Value> for Json {
    fn from(value: Value) -> Self {
        Self(Repr::Value(value))
    }
}

impl PartialEq for Json {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Value(a), Repr::Value(b)) => a == b,
            (Repr::Text(a), Repr::Text(b)) if a.get() == b.get() => true,
            _ => self.to_value() == other.to_value(),
        }
    }
}

impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Value(value) => fmt::Debug::fmt(value, f),
            Repr::Text(text) => f.write_str(text.get()),
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Value(value) => value.serialize(serializer),
            Repr::Text(text) => text.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn written_text_prints_as_the_value_would() {
        let value = json!({"b": [1, "two", null], "a": {"nested": true}, "s": "q\"\u{1}"});
        let written = Json::write(&value).unwrap();
        assert_eq!(
            serde_json::to_string(&written).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
        assert_eq!(serde_json::to_value(&written).unwrap(), value);
        assert_eq!(written.clone().into_value(), value);
        assert_eq!(written, Json::from(value.clone()));
        assert_ne!(written, Json::from(json!({})));
        assert_eq!(
            format!("{written:?}"),
            serde_json::to_string(&value).unwrap()
        );
    }

    #[test]
    fn a_value_that_does_not_serialize_is_an_error() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1);
        assert!(Json::write(&map).is_err());
    }
}
