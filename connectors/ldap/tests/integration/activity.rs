//! `get_last_activity`: the test server records binds (the lastbind overlay's
//! `authTimestamp`), so an account that bound has a last login and one that never did has none.

use serde_json::json;

use crate::slapd::scratch;
use crate::support::{Call, user};

#[test]
fn a_bind_is_the_last_activity() {
    let bound = scratch("uid=activity-1");
    let never = scratch("uid=activity-2");
    Call::new("validate_credentials").auth(user(&bound)).ok();
    let activity = Call::new("get_last_activity")
        .request(json!({"account_ids": [bound, never, scratch("uid=ghost")]}))
        .ok();
    let activity = activity.as_array().unwrap();
    assert_eq!(activity.len(), 1, "{activity:?}");
    assert_eq!(activity[0]["account_id"], bound);
    assert_eq!(activity[0]["event_type"], "last_login");
    let at = activity[0]["happened_at"].as_str().unwrap();
    assert!(
        at.len() >= 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
        "ISO 8601: {at}"
    );
}

#[test]
fn without_attributes_to_read_it_is_unsupported() {
    Call::new("get_last_activity")
        .settings(json!({"last_activity_attributes": []}))
        .request(json!({"account_ids": [scratch("uid=activity-2")]}))
        .error("unsupported_operation");
}
