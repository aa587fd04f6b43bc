//! The connector against a real Samba Active Directory domain controller (see `samba.rs`).

use serde_json::{Value, json};

use crate::samba::{self, ADMIN_DN, ADMIN_PASSWORD, BASE_DN, dc};
use crate::support::{Call, basic, exactly_once, field};

/// Settings for the shared DC over LDAPS; `overrides` replace or add fields.
pub(crate) fn ad_settings(overrides: Value) -> Value {
    let dc = dc();
    let mut settings = json!({
        "server_url": dc.ldaps_url,
        "base_dn": BASE_DN,
        "ca_bundle": dc.ca_pem,
    });
    if let (Some(base), Some(extra)) = (settings.as_object_mut(), overrides.as_object()) {
        for (key, value) in extra {
            base.insert(key.clone(), value.clone());
        }
    }
    settings
}

/// A call as the domain administrator against the shared DC.
pub(crate) fn ad_call(capability: &'static str, overrides: Value) -> Call {
    let mut call = Call::new(capability).auth(basic(ADMIN_DN, ADMIN_PASSWORD));
    call.settings = ad_settings(overrides);
    call
}

#[test]
fn hand_set_ad_settings_list_the_seeded_users() {
    let call = ad_call(
        "list_accounts",
        json!({
            "user_filter": "(&(objectCategory=person)(objectClass=user))",
            "uid_attribute": "sAMAccountName",
            "page_key_attribute": "uSNCreated",
        }),
    );
    let names = exactly_once(field(&call.pages(500), "username"));
    for (name, _) in samba::SEED_USERS {
        assert!(names.contains(name), "{name} missing");
    }
    assert!(names.contains(&samba::bulk_name(samba::BIG_GROUP_MEMBERS - 1)));
}
