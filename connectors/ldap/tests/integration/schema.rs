//! `list_custom_attributes_schema`: read from the server's subschema for inetOrgPerson.

use serde_json::json;

use crate::support::Call;

#[test]
fn the_schema_offers_the_unmapped_attributes_of_inet_org_person() {
    let attributes = Call::new("list_custom_attributes_schema").ok();
    let attributes = attributes.as_array().unwrap();
    let kind = |name: &str| {
        attributes
            .iter()
            .find(|a| a["name"] == name)
            .map(|a| a["attribute_type"].as_str().unwrap().to_owned())
    };
    assert_eq!(kind("title").as_deref(), Some("string"));
    assert_eq!(kind("employeeNumber").as_deref(), Some("string"));
    assert_eq!(kind("telephoneNumber").as_deref(), Some("string"));
    assert_eq!(kind("manager").as_deref(), Some("user"));
    assert_eq!(kind("cn").as_deref(), Some("string"));
    for mapped_or_binary in [
        "uid",
        "mail",
        "givenName",
        "sn",
        "userPassword",
        "objectClass",
        "jpegPhoto",
    ] {
        assert_eq!(kind(mapped_or_binary), None, "{mapped_or_binary}");
    }
    assert!(attributes.iter().all(|a| a["customized_type"] == "account"));
}

#[test]
fn unknown_object_classes_are_not_found() {
    Call::new("list_custom_attributes_schema")
        .settings(json!({"user_object_classes": ["noSuchClass"]}))
        .error("not_found");
}
