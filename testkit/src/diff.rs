//! Comparing envelopes, with `{{any}}` wildcards and a readable diff.

use serde_json::Value;

/// The wildcard that matches any value in an expectation.
pub(crate) const ANY: &str = "{{any}}";

/// Whether `actual` matches `expected`, where `"{{any}}"` matches anything.
pub(crate) fn matches(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(s), _) if s == ANY => true,
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len()
                && e.iter()
                    .all(|(k, v)| a.get(k).is_some_and(|av| matches(v, av)))
        }
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(ev, av)| matches(ev, av))
        }
        (e, a) => e == a,
    }
}

/// `actual` with every place that an `{{any}}` of `expected` matched replaced by `{{any}}`, so
/// a diff shows only real differences.
pub(crate) fn mask(expected: &Value, actual: &Value) -> Value {
    match (expected, actual) {
        (Value::String(s), _) if s == ANY => Value::String(ANY.to_owned()),
        (Value::Object(e), Value::Object(a)) => Value::Object(
            a.iter()
                .map(|(k, av)| {
                    (
                        k.clone(),
                        e.get(k).map_or_else(|| av.clone(), |ev| mask(ev, av)),
                    )
                })
                .collect(),
        ),
        (Value::Array(e), Value::Array(a)) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, av)| e.get(i).map_or_else(|| av.clone(), |ev| mask(ev, av)))
                .collect(),
        ),
        (_, a) => a.clone(),
    }
}

/// A unified diff of two JSON documents, pretty-printed.
pub(crate) fn diff(expected: &Value, actual: &Value) -> String {
    let expected = serde_json::to_string_pretty(expected).unwrap_or_default();
    let actual = serde_json::to_string_pretty(actual).unwrap_or_default();
    similar::TextDiff::from_lines(&expected, &actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn wildcards_match_anything() {
        assert!(matches(
            &json!({"page": {"token": ANY}}),
            &json!({"page": {"token": "abc"}})
        ));
        assert!(!matches(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!matches(&json!([1, 2]), &json!([1])));
    }

    #[test]
    fn diffs_name_the_changed_lines() {
        let text = diff(&json!({"a": 1, "b": "x"}), &json!({"a": 1, "b": "y"}));
        assert!(text.contains("-  \"b\": \"x\""), "{text}");
        assert!(text.contains("+  \"b\": \"y\""), "{text}");
    }
}
