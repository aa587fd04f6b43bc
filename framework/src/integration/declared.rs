//! The credentials a connector declares: an id, a kind, a description, whether it is optional,
//! and the combinations of them a request may carry (protocol 4's multi-credential mode).

use super::AuthKind;

/// One credential a connector accepts, declared with
/// [`IntegrationBuilder::credential`](super::IntegrationBuilder::credential).
///
/// A request names it by id in its `credentials` list (protocol 4), and a handler reads it with
/// [`Context::credential`](crate::Context::credential).
///
/// ```
/// use connector_sdk::{AuthKind, Credential};
///
/// let legacy = Credential::basic("legacy").description("The app's **old** login").optional();
/// assert_eq!(legacy.id(), "legacy");
/// assert_eq!(legacy.kind(), AuthKind::Basic);
/// assert_eq!(legacy.is_optional(), Some(true));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    id: String,
    kind: AuthKind,
    description: Option<String>,
    name: Option<String>,
    /// `None`: declared through `.auth(kind)`, optional when the connector accepts several.
    optional: Option<bool>,
}

macro_rules! constructors {
    ($($method:ident => $kind:ident, $doc:literal;)+) => {
        $(
            #[doc = concat!("A credential of kind `", $doc, "` named `id`.")]
            pub fn $method(id: impl Into<String>) -> Self {
                Self::new(id, AuthKind::$kind)
            }
        )+
    };
}

impl Credential {
    /// A required credential of `kind` named `id`.
    ///
    /// # Panics
    ///
    /// If `id` is empty after trimming: a request could not name it.
    pub fn new(id: impl Into<String>, kind: AuthKind) -> Self {
        let id = id.into().trim().to_owned();
        assert!(!id.is_empty(), "a credential's id must not be empty");
        Self {
            id,
            kind,
            description: None,
            name: None,
            optional: Some(false),
        }
    }

    constructors! {
        basic => Basic, "basic";
        token => Token, "token";
        oauth => OAuth, "oauth";
        oauth_client_credentials => OAuthClientCredentials, "oauth_client_credentials";
        jwt => Jwt, "jwt";
        key_pair => KeyPair, "key_pair";
        service_account => ServiceAccount, "service_account";
        oauth1 => OAuth1, "oauth1";
        empty => Empty, "empty";
    }

    /// The credential `.auth(kind)` declares: named by its kind, optional when the connector
    /// accepts several.
    pub(crate) fn of_kind(kind: AuthKind) -> Self {
        Self {
            optional: None,
            ..Self::new(kind.field(), kind)
        }
    }

    /// What the credential is, for the people who fill it in (markdown; `credentials_schema`'s
    /// `description`).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Its display name (`x-credential-name` in `app_info`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// A request may leave it out (`x-optional`).
    #[must_use]
    pub fn optional(mut self) -> Self {
        self.optional = Some(true);
        self
    }

    /// The id a request names it by.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its kind.
    pub fn kind(&self) -> AuthKind {
        self.kind
    }

    /// Its description, if declared.
    pub fn describe(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Its display name, if declared.
    pub fn display_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether it is optional: `None` for one declared through `.auth(kind)`, which is optional
    /// exactly when the connector accepts several credentials.
    pub fn is_optional(&self) -> Option<bool> {
        self.optional
    }

    /// Whether it was declared with an id of its own (not through `.auth(kind)`).
    pub(crate) fn is_explicit(&self) -> bool {
        self.optional.is_some()
    }
}

/// A declared credential with everything resolved, as `info`, dispatch and
/// `validate_credential_config` read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declared {
    pub(crate) id: String,
    pub(crate) kind: AuthKind,
    pub(crate) description: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) optional: bool,
}

/// Resolves the declarations: a `.auth(kind)` credential is optional when there are several.
pub(crate) fn resolve(credentials: &[Credential]) -> Vec<Declared> {
    let several = credentials.len() > 1;
    credentials
        .iter()
        .map(|credential| Declared {
            id: credential.id.clone(),
            kind: credential.kind,
            description: credential.description.clone(),
            name: credential.name.clone(),
            optional: credential.optional.unwrap_or(several),
        })
        .collect()
}

/// The combinations a request may carry: the declared ones, else 4.x's default (every required
/// credential together, then each optional one alone; an empty combination is left out).
pub(crate) fn combinations(
    declared: &[Declared],
    allowed: Option<&[Vec<String>]>,
) -> Vec<Vec<String>> {
    if let Some(allowed) = allowed {
        return allowed.to_vec();
    }
    let required: Vec<String> = declared
        .iter()
        .filter(|d| !d.optional)
        .map(|d| d.id.clone())
        .collect();
    let mut tuples = Vec::new();
    if !required.is_empty() {
        tuples.push(required);
    }
    tuples.extend(
        declared
            .iter()
            .filter(|d| d.optional)
            .map(|d| vec![d.id.clone()]),
    );
    tuples
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_combinations_follow_the_optional_flags() {
        let declared = resolve(&[
            Credential::basic("a"),
            Credential::token("b"),
            Credential::oauth("c").optional(),
        ]);
        assert_eq!(
            combinations(&declared, None),
            [vec!["a".to_owned(), "b".to_owned()], vec!["c".to_owned()]]
        );
        let by_kind = resolve(&[
            Credential::of_kind(AuthKind::Basic),
            Credential::of_kind(AuthKind::OAuth),
        ]);
        assert!(by_kind.iter().all(|d| d.optional));
        assert_eq!(
            combinations(&by_kind, None),
            [vec!["basic".to_owned()], vec!["oauth".to_owned()]]
        );
        let alone = resolve(&[Credential::of_kind(AuthKind::Token)]);
        assert!(!alone[0].optional);
    }
}
