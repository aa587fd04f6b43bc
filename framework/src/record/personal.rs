//! Personal data: which fields and shapes hold it, and the fakes that replace it, kept
//! consistent across the calls recorded into one directory by a mapping of salted hashes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What kind of value a fake stands for; each kind has its own fakes and counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Email,
    Name,
    Username,
    Phone,
    Personal,
    Id,
}

/// Every kind.
const ALL_KINDS: [Kind; 6] = [
    Kind::Email,
    Kind::Name,
    Kind::Username,
    Kind::Phone,
    Kind::Personal,
    Kind::Id,
];

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Name => "name",
            Self::Username => "username",
            Self::Phone => "phone",
            Self::Personal => "personal",
            Self::Id => "id",
        }
    }

    /// The n-th fake of this kind (n from 1).
    pub(crate) fn fake(self, n: u64) -> String {
        match self {
            Self::Email => format!("user-{n:04}@example.com"),
            Self::Name => format!("Person {n:04}"),
            Self::Username => format!("user{n:04}"),
            Self::Phone => format!("+1-555-{n:07}"),
            Self::Personal => format!("personal-{n:04}"),
            Self::Id => format!("id-{n:04}"),
        }
    }

    /// Whether its values compare without regard to ASCII case (`Ann@X.com` is `ann@x.com`).
    pub(crate) fn ignores_case(self) -> bool {
        matches!(self, Self::Email)
    }
}

/// A field name without case and separators: `givenName`, `given_name`, `given-name` →
/// `givenname`.
pub(crate) fn normalize(field: &str) -> String {
    field
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Fields that always hold personal data, normalized, with their kind.
const ALWAYS: &[(&str, Kind)] = &[
    ("email", Kind::Email),
    ("emailaddress", Kind::Email),
    ("mail", Kind::Email),
    ("primaryemail", Kind::Email),
    ("workemail", Kind::Email),
    ("givenname", Kind::Name),
    ("familyname", Kind::Name),
    ("firstname", Kind::Name),
    ("lastname", Kind::Name),
    ("middlename", Kind::Name),
    ("surname", Kind::Name),
    ("fullname", Kind::Name),
    ("nickname", Kind::Name),
    ("formatted", Kind::Name),
    ("username", Kind::Username),
    ("login", Kind::Username),
    ("userprincipalname", Kind::Username),
    ("samaccountname", Kind::Username),
    ("phone", Kind::Phone),
    ("phonenumber", Kind::Phone),
    ("mobile", Kind::Phone),
    ("mobilephone", Kind::Phone),
    ("telephone", Kind::Phone),
    ("telephonenumber", Kind::Phone),
];

/// Fields that hold a person's name only in an object that describes a person (one with an
/// [`ALWAYS`] field): a group's `name` or `displayName` is not personal.
const IN_PERSON: &[&str] = &["name", "displayname"];

/// What a field holds, given the author's extra fields and whether ids are mapped.
/// `in_person` says whether the object describes a person.
pub(crate) fn field_kind(
    field: &str,
    extra: &[String],
    map_ids: bool,
    in_person: bool,
) -> Option<Kind> {
    let key = normalize(field);
    if let Some((_, kind)) = ALWAYS.iter().find(|(name, _)| *name == key) {
        return Some(*kind);
    }
    if in_person && IN_PERSON.contains(&key.as_str()) {
        return Some(Kind::Name);
    }
    if extra.iter().any(|name| normalize(name) == key) {
        return Some(Kind::Personal);
    }
    if map_ids && is_person_id_field(field, in_person) {
        return Some(Kind::Id);
    }
    None
}

/// Whether a field holds the id of a person: `id` or `integration_specific_id` of a person's
/// object, or an id field named for people (`user_id`, `accountId`, `member_ids`,
/// `account_integration_specific_id`, `manager_id`). Ids of groups, roles and entitlements are
/// not personal: connectors check them against what they know (`member`, `admin`).
fn is_person_id_field(field: &str, in_person: bool) -> bool {
    const PEOPLE: &[&str] = &[
        "user", "account", "member", "person", "employee", "manager", "owner", "login",
    ];
    if !is_id_field(field) {
        return false;
    }
    let key = normalize(field);
    (in_person && matches!(key.as_str(), "id" | "integrationspecificid"))
        || PEOPLE.iter().any(|word| key.contains(word))
}

/// Whether a field name holds a person field that marks its object as a person.
pub(crate) fn is_person_field(field: &str) -> bool {
    let key = normalize(field);
    ALWAYS.iter().any(|(name, _)| *name == key)
}

/// `id`, `user_id`, `userId`, `integration_specific_id`, `ids`, `member_ids`.
fn is_id_field(field: &str) -> bool {
    let lower = field.to_ascii_lowercase();
    lower == "id"
        || lower == "ids"
        || lower.ends_with("_id")
        || lower.ends_with("_ids")
        || lower.ends_with("-id")
        || field.ends_with("Id")
        || field.ends_with("Ids")
}

fn is_local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// The email addresses written anywhere in `text` (`local@domain.tld`).
pub(crate) fn emails_in(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = bytes
        .get(from..)
        .and_then(|b| b.iter().position(|&c| c == b'@'))
    {
        let at = from + offset;
        from = at + 1;
        let mut start = at;
        while start > 0 && bytes.get(start - 1).copied().is_some_and(is_local_char) {
            start -= 1;
        }
        let mut end = at + 1;
        while bytes.get(end).copied().is_some_and(is_domain_char) {
            end += 1;
        }
        // A sentence's full stop or a hyphen does not end a domain.
        while end > at + 1 && matches!(bytes.get(end - 1), Some(b'.' | b'-')) {
            end -= 1;
        }
        while start < at && matches!(bytes.get(start), Some(b'.')) {
            start += 1;
        }
        let domain = text.get(at + 1..end).unwrap_or_default();
        let tld = domain.rsplit('.').next().unwrap_or_default();
        if start < at
            && domain.contains('.')
            && tld.len() >= 2
            && tld.bytes().all(|c| c.is_ascii_alphabetic())
            && let Some(email) = text.get(start..end)
        {
            found.push(email);
        }
    }
    found
}

/// Whether a whole value is written like an international phone number: `+`, then 8 to 15
/// digits with spaces, dots, dashes or parentheses.
pub(crate) fn is_phone_shape(text: &str) -> bool {
    let Some(rest) = text.trim().strip_prefix('+') else {
        return false;
    };
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    (8..=15).contains(&digits)
        && rest
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'.' | b'-' | b'(' | b')'))
}

/// One fake handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    kind: String,
    fake: String,
}

/// The fakes of a recording directory, by salted SHA-256 of the real value (the real values
/// are never written), with a counter per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Mapping {
    /// What the file is.
    about: String,
    /// Hex; random per directory, so a hash cannot be looked up in a table made elsewhere.
    salt: String,
    counters: BTreeMap<String, u64>,
    entries: BTreeMap<String, Entry>,
}

/// The mapping file's name in a recording directory.
pub(crate) const MAPPING_FILE: &str = "personal-data-map.json";

impl Mapping {
    /// A fresh mapping with a random salt (a fixed one if the system has no randomness: the
    /// file then still holds hashes only).
    pub(crate) fn fresh() -> Self {
        let mut salt = [0u8; 16];
        if getrandom::fill(&mut salt).is_err() {
            salt = *b"connector-sdk-rc";
        }
        Self {
            about: "connector-sdk recording: fakes by salted SHA-256 of the real value".to_owned(),
            salt: salt.iter().map(|b| format!("{b:02x}")).collect(),
            counters: BTreeMap::new(),
            entries: BTreeMap::new(),
        }
    }

    fn key(&self, kind: Kind, real: &str) -> String {
        let real = if kind.ignores_case() {
            real.to_ascii_lowercase()
        } else {
            real.to_owned()
        };
        let mut hasher = Sha256::new();
        hasher.update(self.salt.as_bytes());
        hasher.update([0]);
        hasher.update(real.as_bytes());
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The kind `real` was given a fake as, by an earlier call recorded into the directory.
    pub(crate) fn known(&self, real: &str) -> Option<Kind> {
        ALL_KINDS
            .into_iter()
            .find(|kind| self.entries.contains_key(&self.key(*kind, real)))
    }

    /// The fake of `real`: the one it already has in this directory, else the next of its
    /// kind. A value known under another kind keeps its first fake.
    pub(crate) fn fake(&mut self, kind: Kind, real: &str) -> String {
        let key = self.key(kind, real);
        if let Some(entry) = self.entries.get(&key) {
            return entry.fake.clone();
        }
        // The same value seen before as another kind (an email that is also a username).
        for other in ALL_KINDS {
            if other != kind
                && let Some(entry) = self.entries.get(&self.key(other, real))
            {
                return entry.fake.clone();
            }
        }
        let counter = self.counters.entry(kind.as_str().to_owned()).or_insert(0);
        *counter += 1;
        let fake = kind.fake(*counter);
        self.entries.insert(
            key,
            Entry {
                kind: kind.as_str().to_owned(),
                fake: fake.clone(),
            },
        );
        fake
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_by_name_in_any_spelling() {
        let none: &[String] = &[];
        assert_eq!(
            field_kind("givenName", none, false, false),
            Some(Kind::Name)
        );
        assert_eq!(
            field_kind("family-name", none, false, false),
            Some(Kind::Name)
        );
        assert_eq!(field_kind("EMAIL", none, false, false), Some(Kind::Email));
        assert_eq!(
            field_kind("phone_number", none, false, false),
            Some(Kind::Phone)
        );
        assert_eq!(
            field_kind("user_name", none, false, false),
            Some(Kind::Username)
        );
        assert_eq!(field_kind("name", none, false, false), None);
        assert_eq!(field_kind("name", none, false, true), Some(Kind::Name));
        assert_eq!(
            field_kind("display_name", none, false, true),
            Some(Kind::Name)
        );
        assert_eq!(field_kind("department", none, false, true), None);
        let extra = ["manager_note".to_owned()];
        assert_eq!(
            field_kind("managerNote", &extra, false, false),
            Some(Kind::Personal)
        );
        assert_eq!(field_kind("user_id", none, false, false), None);
        assert_eq!(field_kind("user_id", none, true, false), Some(Kind::Id));
        assert_eq!(field_kind("accountId", none, true, false), Some(Kind::Id));
        assert_eq!(field_kind("member_ids", none, true, false), Some(Kind::Id));
        let account = "account_integration_specific_id";
        assert_eq!(field_kind(account, none, true, false), Some(Kind::Id));
        assert_eq!(field_kind("id", none, true, true), Some(Kind::Id));
        assert_eq!(
            field_kind("integration_specific_id", none, true, true),
            Some(Kind::Id)
        );
        // Ids of groups, roles, entitlements, and ids outside a person, are kept.
        assert_eq!(field_kind("id", none, true, false), None);
        assert_eq!(field_kind("group_id", none, true, true), None);
        let entitlement = "entitlement_integration_specific_id";
        assert_eq!(field_kind(entitlement, none, true, false), None);
        assert_eq!(field_kind("valid", none, true, false), None);
        assert_eq!(field_kind("user_valid", none, true, false), None);
    }

    #[test]
    fn emails_are_found_inside_text() {
        assert_eq!(
            emails_in("a user with email Ann.Lee1@Example.com. exists; cc bob+x@mail.example.org"),
            vec!["Ann.Lee1@Example.com", "bob+x@mail.example.org"]
        );
        assert!(emails_in("[REDACTED]@host").is_empty());
        assert!(emails_in("x@localhost and @@ and a@b.c1").is_empty());
        assert_eq!(emails_in("/users/ann%40x.com"), Vec::<&str>::new());
        assert_eq!(emails_in("é@é ann@x.io"), vec!["ann@x.io"]);
    }

    #[test]
    fn phone_shapes() {
        assert!(is_phone_shape("+1 (555) 010-9999"));
        assert!(is_phone_shape("+44 20 7946 0958"));
        assert!(!is_phone_shape("2025-01-01"));
        assert!(!is_phone_shape("+12"));
        assert!(!is_phone_shape("u-0000001"));
    }

    #[test]
    fn fakes_are_consistent_and_counted_per_kind() {
        let mut map = Mapping::fresh();
        assert_eq!(map.fake(Kind::Email, "ann@x.com"), "user-0001@example.com");
        assert_eq!(map.fake(Kind::Email, "ANN@x.com"), "user-0001@example.com");
        assert_eq!(map.fake(Kind::Email, "bob@x.com"), "user-0002@example.com");
        assert_eq!(map.fake(Kind::Name, "Ann"), "Person 0001");
        assert_eq!(map.fake(Kind::Name, "Ann"), "Person 0001");
        assert_eq!(
            map.fake(Kind::Username, "ann@x.com"),
            "user-0001@example.com"
        );
        let text = serde_json::to_string(&map).unwrap();
        assert!(!text.contains("ann") && !text.contains("Ann"), "{text}");
        let again: Mapping = serde_json::from_str(&text).unwrap();
        assert_eq!(again, map);
    }
}
