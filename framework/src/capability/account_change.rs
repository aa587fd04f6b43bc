//! What an `update_account` request asks for, read once for every connector: the standard
//! attributes typed, `active` and `user_status` folded into one state, and the errors a caller
//! gets for a wrong type, a contradiction or an attribute the connector cannot change.

use serde_json::Value;

use crate::ConnectorError;
use crate::wire::UpdateableAccount;

/// One change an `update_account` request asks for (see [`AccountChange::read`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountChange {
    /// `username`: a non-empty string.
    Username(String),
    /// `given_name`: a non-empty string, or `null` to remove it.
    GivenName(Option<String>),
    /// `family_name`: a non-empty string, or `null` to remove it.
    FamilyName(Option<String>),
    /// `email`: a non-empty string, or `null` to remove it.
    Email(Option<String>),
    /// `active` (a boolean) or `user_status` (`ACTIVE` is `true`; `SUSPENDED`, `INACTIVE` and
    /// `DEPROVISIONED` are `false`).
    Active(bool),
    /// Any other attribute, as sent: the connector changes it or refuses it with
    /// [`AccountChange::not_changeable`].
    Other(Value),
}

impl AccountChange {
    /// The standard attributes [`AccountChange::read`] types, by their protocol names: what a
    /// connector changing all of them tells [`AccountChange::not_changeable`].
    pub const STANDARD: [&'static str; 6] = [
        "email",
        "given_name",
        "family_name",
        "username",
        "active",
        "user_status",
    ];

    /// The request's changes by attribute name, in the request's order, checked before the
    /// connector calls its app: a standard attribute of the wrong type, or `active` and
    /// `user_status` that contradict each other, are `bad_request` naming the attribute.
    ///
    /// ```
    /// use connector_sdk::capability::AccountChange;
    /// use connector_sdk::wire::UpdateableAccount;
    ///
    /// let request: UpdateableAccount = serde_json::from_str(
    ///     r#"{"id": "u-1", "email": null, "user_status": "SUSPENDED", "nickname": "al"}"#,
    /// )
    /// .unwrap();
    /// let changes = AccountChange::read(&request).unwrap();
    /// assert_eq!(changes[0], ("email".to_owned(), AccountChange::Email(None)));
    /// assert_eq!(changes[1].1, AccountChange::Active(false));
    /// let changeable = ["email", "active", "user_status"];
    /// let refused = AccountChange::not_changeable(&changes[2].0, &changeable);
    /// assert!(refused.message().contains(r#"request."nickname" is not an attribute"#));
    ///
    /// let contradiction: UpdateableAccount =
    ///     serde_json::from_str(r#"{"id": "u-1", "active": true, "user_status": "INACTIVE"}"#)
    ///         .unwrap();
    /// assert!(AccountChange::read(&contradiction).is_err());
    /// ```
    pub fn read(request: &UpdateableAccount) -> Result<Vec<(String, Self)>, ConnectorError> {
        let mut changes = Vec::with_capacity(request.changes.len());
        let mut active: Option<(&str, bool)> = None;
        for (key, value) in &request.changes {
            let change = match key.as_str() {
                "username" => Self::Username(text(key, value, false)?.unwrap_or_default()),
                "given_name" => Self::GivenName(text(key, value, true)?),
                "family_name" => Self::FamilyName(text(key, value, true)?),
                "email" => Self::Email(text(key, value, true)?),
                "active" => Self::Active(value.as_bool().ok_or_else(|| {
                    ConnectorError::bad_request(
                        "Invalid request - request.active must be a boolean",
                    )
                })?),
                "user_status" => Self::Active(match value.as_str() {
                    Some("ACTIVE") => true,
                    Some("SUSPENDED" | "INACTIVE" | "DEPROVISIONED") => false,
                    _ => {
                        return Err(ConnectorError::bad_request(
                            "Invalid request - request.user_status must be ACTIVE, SUSPENDED, \
                             INACTIVE or DEPROVISIONED",
                        ));
                    }
                }),
                _ => Self::Other(value.clone()),
            };
            if let Self::Active(wanted) = change {
                if let Some((_, earlier)) = active
                    && earlier != wanted
                {
                    return Err(ConnectorError::bad_request(
                        "Invalid request - request.active and request.user_status contradict \
                         each other",
                    ));
                }
                active = Some((key, wanted));
            }
            changes.push((key.clone(), change));
        }
        Ok(changes)
    }

    /// The `bad_request` for an attribute this connector cannot change, naming the ones it
    /// can.
    pub fn not_changeable(key: &str, changeable: &[&str]) -> ConnectorError {
        ConnectorError::bad_request(format!(
            "Invalid request - request.{key:?} is not an attribute this connector can change \
             (it changes {})",
            changeable.join(", ")
        ))
    }
}

/// A string (or, where the attribute may be removed, `null`) value of `request.<key>`.
fn text(key: &str, value: &Value, nullable: bool) -> Result<Option<String>, ConnectorError> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Ok(Some(text.clone())),
        Value::Null if nullable => Ok(None),
        _ => Err(ConnectorError::bad_request(format!(
            "Invalid request - request.{key} must be a non-empty string{}",
            if nullable { " or null" } else { "" }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(changes: Value) -> Result<Vec<(String, AccountChange)>, String> {
        let mut request = json!({"id": "u-1"});
        request
            .as_object_mut()
            .unwrap()
            .extend(changes.as_object().unwrap().clone());
        AccountChange::read(&serde_json::from_value(request).unwrap())
            .map_err(|e| e.message().to_owned())
    }

    #[test]
    fn standard_attributes_are_typed_and_checked() {
        assert_eq!(
            read(json!({"username": "al", "given_name": null, "active": true})).unwrap(),
            vec![
                ("username".to_owned(), AccountChange::Username("al".into())),
                ("given_name".to_owned(), AccountChange::GivenName(None)),
                ("active".to_owned(), AccountChange::Active(true)),
            ]
        );
        for (bad, says) in [
            (
                json!({"username": null}),
                "request.username must be a non-empty string",
            ),
            (
                json!({"email": " "}),
                "request.email must be a non-empty string or null",
            ),
            (
                json!({"email": 7}),
                "request.email must be a non-empty string or null",
            ),
            (json!({"active": "yes"}), "request.active must be a boolean"),
            (
                json!({"user_status": "GONE"}),
                "request.user_status must be ACTIVE",
            ),
            (
                json!({"active": false, "user_status": "ACTIVE"}),
                "contradict each other",
            ),
        ] {
            let message = read(bad.clone()).unwrap_err();
            assert!(message.contains(says), "{bad}: {message}");
        }
        // Agreeing twice is no contradiction; an unknown attribute is the connector's call.
        assert_eq!(
            read(json!({"active": false, "user_status": "DEPROVISIONED", "x": [1]})).unwrap()[2],
            ("x".to_owned(), AccountChange::Other(json!([1])))
        );
    }
}
