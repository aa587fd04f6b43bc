//! `list_custom_attributes_schema`: the configured attribute paths, as strings.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check};

#[rstest]
#[case::configured_attributes(
    authed(CapabilityName::ListCustomAttributesSchema)
        .settings(json!({"base_url": "{{base_url}}", "custom_attributes": ["title"]}))
        .expect_items(json!([{"customized_type": "account", "name": "title", "attribute_type": "string"}]))
)]
fn list_custom_attributes_schema(#[case] case: impl Into<Case>) {
    check(case);
}
