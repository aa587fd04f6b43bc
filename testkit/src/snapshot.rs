//! insta settings with the redactions every connector wants.

/// insta settings that redact what changes between runs: page tokens, OAuth tokens,
/// timestamps. Bind them around `insta::assert_json_snapshot!`:
///
/// ```
/// let settings = connector_testkit::redacted();
/// settings.bind(|| {
///     let envelope = serde_json::json!({"response": [], "raw_data": null, "page": {"token": "abc", "size": 5}});
///     insta::assert_json_snapshot!(envelope, @r#"
///     {
///       "response": [],
///       "raw_data": null,
///       "page": {
///         "token": "[page token]",
///         "size": 5
///       }
///     }
///     "#);
/// });
/// ```
pub fn redacted() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".page.token", "[page token]");
    for key in ["access_token", "refresh_token", "code_verifier"] {
        settings.add_redaction(&format!(".**.{key}"), "[token]");
    }
    for key in ["happened_at", "created_at", "updated_at", "last_login"] {
        settings.add_redaction(&format!(".**.{key}"), "[timestamp]");
    }
    settings.set_sort_maps(false);
    settings
}
