//! `list_resources`: the directory itself, then its organizational units.

use std::collections::BTreeMap;

use connector_sdk::capability::ListResources;
use connector_sdk::{ConnectorError, Context, Listing, wire};
use ldap3::SearchEntry;

use super::{DIRECTORY, LdapConnector, ORGANIZATIONAL_UNIT, size_of};
use crate::directory::{Directory, first};
use crate::dn;
use crate::paging::{self, Cursor, Start};
use crate::settings::LdapSettings;

const OU_FILTER: &str = "(objectClass=organizationalUnit)";

impl ListResources for LdapConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("The directory (its base DN), then its organizational units.");

    async fn list_resources(
        &self,
        ctx: &Context<LdapSettings>,
        _request: wire::ListResources,
    ) -> Result<Listing<wire::FoundResourceData>, ConnectorError> {
        let settings = ctx.settings();
        let base = settings.base_dn.trim();
        let listing = paging::Listing {
            base,
            filter: OU_FILTER,
            key: &settings.page_key_attribute,
        };
        let cursor = Cursor::read(ctx, listing.key)?;
        let mut size = size_of(ctx);
        let mut resources = Vec::new();
        let start = match cursor {
            // The first page opens with the directory itself.
            None => {
                resources.push(directory_resource(base));
                size -= 1;
                Start::First
            }
            Some(cursor) => Start::after(cursor.after),
        };
        let mut directory = Directory::connect(ctx).await?;
        if size == 0 {
            // A page of one: just the directory (after checking it exists).
            directory
                .require_entry("base DN entry", base, "(objectClass=*)")
                .await?;
            directory.close().await;
            let next = listing.cursor(None, 0);
            return Ok(Listing::with_cursor(resources, Some(next)));
        }
        let page = listing
            .page(
                &mut directory,
                &start,
                size,
                ["ou", "description"].map(str::to_owned).to_vec(),
            )
            .await?;
        directory.close().await;
        let next = listing.next(&page)?;
        resources.extend(
            page.entries
                .iter()
                .filter(|entry| !dn::same(&entry.dn, base))
                .map(unit_resource),
        );
        Ok(Listing::with_cursor(resources, next))
    }
}

fn directory_resource(base: &str) -> wire::FoundResourceData {
    wire::FoundResourceData {
        integration_specific_id: base.to_owned(),
        label: base.to_owned(),
        resource_type: DIRECTORY.to_owned(),
        extra_data: Some(BTreeMap::from([("dn".to_owned(), base.to_owned())])),
    }
}

fn unit_resource(entry: &SearchEntry) -> wire::FoundResourceData {
    let mut extra = BTreeMap::from([("dn".to_owned(), entry.dn.clone())]);
    if let Some(description) = first(entry, "description") {
        extra.insert("description".to_owned(), description.to_owned());
    }
    wire::FoundResourceData {
        integration_specific_id: entry.dn.clone(),
        label: first(entry, "ou")
            .unwrap_or_else(|| dn::first_value(&entry.dn))
            .to_owned(),
        resource_type: ORGANIZATIONAL_UNIT.to_owned(),
        extra_data: Some(extra),
    }
}
