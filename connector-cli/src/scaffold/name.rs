//! The connector's name and the forms the templates use.

use std::fmt;

use heck::{ToKebabCase, ToSnakeCase, ToTitleCase, ToUpperCamelCase};

/// Keywords and reserved words of Rust 2024: a crate cannot be named after one.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names taken by the standard library, by cargo's target folders, or by this SDK.
const TAKEN: &[&str] = &[
    "alloc",
    "core",
    "std",
    "proc_macro",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
    "connector",
    "connector_sdk",
    "connector_testkit",
    "connector_cli",
    "mock_connector",
    "mock_app",
    "e2e",
];

/// A connector name that is a valid package, binary and crate name: lowercase ASCII letters,
/// digits, and single `-` or `_` between them, starting with a letter.
///
/// ```
/// use connector_cli::scaffold::ConnectorName;
///
/// let name = ConnectorName::parse("demo-connector").unwrap();
/// assert_eq!(name.crate_name(), "demo_connector");
/// assert_eq!(name.type_name(), "DemoConnector");
/// assert_eq!(ConnectorName::parse("acme").unwrap().type_name(), "AcmeConnector");
/// assert!(ConnectorName::parse("Demo Connector").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorName(String);

/// Why a connector name was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    name: String,
    reason: String,
    suggestion: Option<String>,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` cannot name a connector: {}",
            self.name, self.reason
        )?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " (try `{suggestion}`)")?;
        }
        Ok(())
    }
}

impl std::error::Error for NameError {}

impl ConnectorName {
    /// Checks a name.
    ///
    /// # Errors
    ///
    /// A [`NameError`] saying what is wrong, with a suggestion when one can be made.
    pub fn parse(text: &str) -> Result<Self, NameError> {
        let refuse = |reason: &str| {
            let suggestion = text
                .to_kebab_case()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>();
            let suggestion =
                (suggestion != text && !suggestion.is_empty() && Self::check(&suggestion).is_ok())
                    .then_some(suggestion);
            NameError {
                name: text.to_owned(),
                reason: reason.to_owned(),
                suggestion,
            }
        };
        Self::check(text).map_err(|reason| refuse(&reason))?;
        Ok(Self(text.to_owned()))
    }

    fn check(text: &str) -> Result<(), String> {
        const RULE: &str = "use lowercase ASCII letters, digits and `-`, starting with a letter";
        if text.is_empty() || text.len() > 64 {
            return Err(format!("{RULE}, at most 64 characters"));
        }
        if !text.starts_with(|c: char| c.is_ascii_lowercase())
            || !text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            return Err(RULE.to_owned());
        }
        let separators = |c: char| c == '-' || c == '_';
        if text.ends_with(separators)
            || text.contains("--")
            || text.contains("__")
            || text.contains("-_")
            || text.contains("_-")
        {
            return Err(format!("{RULE}, with one `-` between words"));
        }
        let snake = text.replace('-', "_");
        if KEYWORDS.contains(&snake.as_str()) {
            return Err("it is a Rust keyword".to_owned());
        }
        if TAKEN.contains(&snake.as_str()) {
            return Err("the name is taken by Rust, cargo or this SDK".to_owned());
        }
        Ok(())
    }

    /// The name as given: the package, the binary and the app id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The library crate's name (`demo_connector`).
    pub fn crate_name(&self) -> String {
        self.0.replace('-', "_")
    }

    /// The connector type (`DemoConnector`; `AcmeConnector` for `acme`).
    pub fn type_name(&self) -> String {
        let pascal = self.0.to_upper_camel_case();
        if pascal.ends_with("Connector") {
            pascal
        } else {
            format!("{pascal}Connector")
        }
    }

    /// The settings type (`DemoConnectorSettings`, `AcmeSettings`).
    pub fn settings_type(&self) -> String {
        format!("{}Settings", self.0.to_upper_camel_case())
    }

    /// The display name (`Demo Connector`).
    pub fn title(&self) -> String {
        self.0.to_snake_case().to_title_case()
    }
}

impl fmt::Display for ConnectorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::ConnectorName;

    #[test]
    fn forms() {
        let name = ConnectorName::parse("demo-connector").unwrap();
        assert_eq!(name.as_str(), "demo-connector");
        assert_eq!(name.crate_name(), "demo_connector");
        assert_eq!(name.type_name(), "DemoConnector");
        assert_eq!(name.settings_type(), "DemoConnectorSettings");
        assert_eq!(name.title(), "Demo Connector");
        let name = ConnectorName::parse("okta2_sync").unwrap();
        assert_eq!(name.crate_name(), "okta2_sync");
        assert_eq!(name.type_name(), "Okta2SyncConnector");
        assert_eq!(name.title(), "Okta2 Sync");
    }

    #[test]
    fn refusals_explain_and_suggest() {
        let error = ConnectorName::parse("Demo Connector")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "`Demo Connector` cannot name a connector: use lowercase ASCII letters, digits and \
             `-`, starting with a letter (try `demo-connector`)"
        );
        for bad in [
            "",
            "1password",
            "demo-",
            "demo--x",
            "type",
            "std",
            "connector",
            "a/b",
            "café",
        ] {
            assert!(ConnectorName::parse(bad).is_err(), "{bad}");
        }
        let error = ConnectorName::parse("1password").unwrap_err().to_string();
        assert!(!error.contains("(try"), "{error}");
    }
}
