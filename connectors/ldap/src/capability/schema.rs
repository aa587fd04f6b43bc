//! `list_custom_attributes_schema`: what the server's schema lets a user entry carry beyond
//! the mapped attributes, read from the subschema entry.

use connector_sdk::capability::ListCustomAttributesSchema;
use connector_sdk::{ConnectorError, Context, Listing, wire};

use super::LdapConnector;
use crate::directory::{Directory, values};
use crate::schema::{Kind, Schema};
use crate::settings::LdapSettings;

impl ListCustomAttributesSchema for LdapConnector {
    async fn list_custom_attributes_schema(
        &self,
        ctx: &Context<LdapSettings>,
        _request: wire::ListCustomAttributesSchema,
    ) -> Result<Listing<wire::CustomAttributeSchema>, ConnectorError> {
        let settings = ctx.settings();
        let mut directory = Directory::connect(ctx).await?;
        let root = directory.root_dse(&["subschemaSubentry"]).await?;
        let subschema = root
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("subschemaSubentry"))
            .and_then(|(_, values)| values.first().cloned())
            .unwrap_or_else(|| "cn=Subschema".to_owned());
        let entry = directory
            .require(
                "subschema entry",
                &subschema,
                "(objectClass=subschema)",
                vec!["objectClasses".to_owned(), "attributeTypes".to_owned()],
            )
            .await?;
        directory.close().await;
        let schema = Schema::parse(
            values(&entry, "objectClasses"),
            values(&entry, "attributeTypes"),
        );
        let mapped = [
            "objectClass",
            "userPassword",
            settings.uid_attribute.as_str(),
            settings.mail_attribute.as_str(),
            settings.given_name_attribute.as_str(),
            settings.family_name_attribute.as_str(),
        ];
        let attributes = schema.attributes_of(&settings.user_object_classes);
        if attributes.is_empty() {
            return Err(ConnectorError::not_found(format!(
                "The server's schema ({subschema}) defines none of settings.user_object_classes \
                 ({})",
                settings.user_object_classes.join(", ")
            )));
        }
        let custom = attributes
            .into_iter()
            .filter(|(name, _)| !mapped.iter().any(|m| m.eq_ignore_ascii_case(name)))
            .map(|(name, kind)| wire::CustomAttributeSchema {
                customized_type: wire::CustomAttributeCustomizedType::Account,
                name,
                attribute_type: match kind {
                    Kind::Dn => wire::CustomAttributeType::User,
                    Kind::Text => wire::CustomAttributeType::String,
                },
            })
            .collect();
        Ok(Listing::last(custom))
    }
}
