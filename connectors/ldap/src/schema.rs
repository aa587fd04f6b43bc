//! The directory's own schema (RFC 4512 subschema): which attributes a user entry may carry,
//! and which of them hold DNs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The syntax OID of DN-valued attributes (`manager`, `secretary`, `seeAlso`…).
const DN_SYNTAX: &str = "1.3.6.1.4.1.1466.115.121.1.12";

/// Syntaxes that are not text (audio, binary, certificates, JPEG, octet strings).
const BINARY_SYNTAXES: [&str; 7] = [
    "1.3.6.1.4.1.1466.115.121.1.4",
    "1.3.6.1.4.1.1466.115.121.1.5",
    "1.3.6.1.4.1.1466.115.121.1.8",
    "1.3.6.1.4.1.1466.115.121.1.9",
    "1.3.6.1.4.1.1466.115.121.1.10",
    "1.3.6.1.4.1.1466.115.121.1.28",
    "1.3.6.1.4.1.1466.115.121.1.40",
];

/// One RFC 4512 description: its OID and its fields (`NAME`, `SUP`, `MUST`…), each a list of
/// words (quotes and `$` separators removed). Flags (`SINGLE-VALUE`) have no words.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Description {
    pub(crate) oid: String,
    pub(crate) fields: HashMap<String, Vec<String>>,
}

impl Description {
    /// Parses `( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )`; `None` if it is malformed.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let tokens = tokenize(text);
        let mut tokens = tokens.iter().map(String::as_str);
        if tokens.next()? != "(" {
            return None;
        }
        let oid = tokens.next()?.to_owned();
        let mut fields = HashMap::new();
        let mut keyword: Option<String> = None;
        while let Some(token) = tokens.next() {
            match token {
                ")" => break,
                "(" => {
                    let mut list = Vec::new();
                    for item in tokens.by_ref() {
                        match item {
                            ")" => break,
                            "$" => {}
                            _ => list.push(unquote(item)),
                        }
                    }
                    if let Some(keyword) = keyword.take() {
                        fields.insert(keyword, list);
                    }
                }
                _ if token.starts_with('\'') => {
                    if let Some(keyword) = keyword.take() {
                        fields.insert(keyword, vec![unquote(token)]);
                    }
                }
                _ if is_keyword(token) => {
                    if let Some(previous) = keyword.replace(token.to_ascii_uppercase()) {
                        fields.insert(previous, Vec::new()); // a flag
                    }
                }
                _ => {
                    if let Some(keyword) = keyword.take() {
                        fields.insert(keyword, vec![token.to_owned()]);
                    }
                }
            }
        }
        if let Some(flag) = keyword {
            fields.insert(flag, Vec::new());
        }
        Some(Self { oid, fields })
    }

    /// The words of a field.
    pub(crate) fn field(&self, name: &str) -> &[String] {
        self.fields.get(name).map_or(&[], Vec::as_slice)
    }

    /// The names, or the OID when there is none.
    pub(crate) fn names(&self) -> Vec<String> {
        match self.field("NAME") {
            [] => vec![self.oid.clone()],
            names => names.to_vec(),
        }
    }
}

fn is_keyword(token: &str) -> bool {
    token.starts_with("X-")
        || token
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'_')
}

fn unquote(token: &str) -> String {
    token.trim_matches('\'').to_owned()
}

/// Splits a description into `(`, `)`, `$`, quoted strings and words.
fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&ch) = chars.peek() {
        match ch {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '$' => {
                tokens.push(ch.to_string());
                chars.next();
            }
            '\'' => {
                let mut quoted = String::from('\'');
                chars.next();
                for c in chars.by_ref() {
                    quoted.push(c);
                    if c == '\'' {
                        break;
                    }
                }
                tokens.push(quoted);
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '$' | '\'') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(word);
            }
        }
    }
    tokens
}

/// The object classes and attribute types of a subschema entry, by lowercase name.
#[derive(Debug, Default)]
pub(crate) struct Schema {
    classes: HashMap<String, Description>,
    attributes: HashMap<String, Description>,
}

/// Whether an attribute holds text or DNs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Free text.
    Text,
    /// A DN (a reference to another entry, often a user).
    Dn,
}

impl Schema {
    /// Reads the `objectClasses` and `attributeTypes` values of a subschema entry.
    pub(crate) fn parse(object_classes: &[String], attribute_types: &[String]) -> Self {
        let index = |values: &[String]| {
            let mut map = HashMap::new();
            for value in values {
                if let Some(description) = Description::parse(value) {
                    for name in description.names() {
                        map.insert(
                            name.to_ascii_lowercase(),
                            Description {
                                oid: description.oid.clone(),
                                fields: description.fields.clone(),
                            },
                        );
                    }
                }
            }
            map
        };
        Self {
            classes: index(object_classes),
            attributes: index(attribute_types),
        }
    }

    /// The attributes (MUST and MAY, inherited ones included) entries of `classes` may carry,
    /// by their schema name, with their kind; binary attributes are left out.
    pub(crate) fn attributes_of(&self, classes: &[String]) -> BTreeMap<String, Kind> {
        let mut seen = BTreeSet::new();
        let mut pending: Vec<String> = classes.iter().map(|c| c.to_ascii_lowercase()).collect();
        let mut names = BTreeSet::new();
        while let Some(class) = pending.pop() {
            if !seen.insert(class.clone()) {
                continue;
            }
            let Some(description) = self.classes.get(&class) else {
                continue;
            };
            for field in ["MUST", "MAY"] {
                names.extend(description.field(field).iter().cloned());
            }
            pending.extend(
                description
                    .field("SUP")
                    .iter()
                    .map(|s| s.to_ascii_lowercase()),
            );
        }
        names
            .into_iter()
            .filter_map(|name| {
                let syntax = self.syntax(&name);
                if syntax.is_some_and(|s| BINARY_SYNTAXES.contains(&s)) {
                    return None;
                }
                let kind = if syntax == Some(DN_SYNTAX) {
                    Kind::Dn
                } else {
                    Kind::Text
                };
                let canonical = self
                    .attributes
                    .get(&name.to_ascii_lowercase())
                    .and_then(|d| d.names().into_iter().next())
                    .unwrap_or(name);
                Some((canonical, kind))
            })
            .collect()
    }

    /// The syntax OID of an attribute (inherited from its SUP chain), without a length bound.
    fn syntax(&self, attribute: &str) -> Option<&str> {
        let mut name = attribute.to_ascii_lowercase();
        for _ in 0..16 {
            let description = self.attributes.get(&name)?;
            if let Some(syntax) = description.field("SYNTAX").first() {
                return Some(syntax.split('{').next().unwrap_or(syntax));
            }
            name = description.field("SUP").first()?.to_ascii_lowercase();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn descriptions_parse() {
        let d = Description::parse(
            "( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'RFC4519: common name(s)' SUP name \
             SINGLE-VALUE X-ORIGIN 'RFC 4519' )",
        )
        .unwrap();
        assert_eq!(d.oid, "2.5.4.3");
        assert_eq!(d.names(), ["cn", "commonName"]);
        assert_eq!(d.field("SUP"), ["name"]);
        assert_eq!(d.field("DESC"), ["RFC4519: common name(s)"]);
        assert!(d.fields.contains_key("SINGLE-VALUE"));
        assert_eq!(d.field("X-ORIGIN"), ["RFC 4519"]);
    }

    #[test]
    fn attributes_of_follow_sup_chains_and_syntaxes() {
        let schema = Schema::parse(
            &strings(&[
                "( 2.5.6.0 NAME 'top' ABSTRACT MUST objectClass )",
                "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST ( sn $ cn ) MAY ( userPassword $ seeAlso ) )",
                "( 9.9 NAME 'staff' SUP person STRUCTURAL MAY ( manager $ jpegPhoto $ title ) )",
            ]),
            &strings(&[
                "( 2.5.4.41 NAME 'name' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{32768} )",
                "( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )",
                "( 2.5.4.4 NAME ( 'sn' 'surname' ) SUP name )",
                "( 2.5.4.12 NAME 'title' SUP name )",
                "( 2.5.4.34 NAME 'seeAlso' SUP distinguishedName )",
                "( 2.5.4.49 NAME 'distinguishedName' SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
                "( 0.9.2342.19200300.100.1.10 NAME 'manager' SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
                "( 0.9.2342.19200300.100.1.60 NAME 'jpegPhoto' SYNTAX 1.3.6.1.4.1.1466.115.121.1.28 )",
                "( 2.5.4.35 NAME 'userPassword' SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 )",
            ]),
        );
        let attributes = schema.attributes_of(&strings(&["Staff"]));
        assert_eq!(attributes.get("manager"), Some(&Kind::Dn));
        assert_eq!(attributes.get("seeAlso"), Some(&Kind::Dn));
        assert_eq!(attributes.get("title"), Some(&Kind::Text));
        assert_eq!(attributes.get("cn"), Some(&Kind::Text));
        assert!(!attributes.contains_key("jpegPhoto"));
        assert!(!attributes.contains_key("userPassword"));
    }
}
