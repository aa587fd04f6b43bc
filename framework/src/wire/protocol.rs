//! The versions of the connector protocol a connector speaks, and how a wire document changes
//! with the version it is written for.

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

/// A version of the Lumos connector protocol.
///
/// One connector binary speaks both: the integration declares its default
/// ([`IntegrationBuilder::protocol`](crate::IntegrationBuilder::protocol)), a bundle built with
/// `connector package --protocol` carries its own, and the `CONNECTOR_PROTOCOL` environment
/// variable or the global `--protocol` flag choose at run time.
///
/// ```
/// use connector_sdk::Protocol;
///
/// assert_eq!("4".parse::<Protocol>().unwrap(), Protocol::V4);
/// assert_eq!("3.7.8".parse::<Protocol>().unwrap(), Protocol::V3_7_8);
/// assert_eq!(Protocol::V4.to_string(), "4");
/// assert!("5".parse::<Protocol>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Protocol {
    /// connector-py 3.7.8, the seed protocol: 24 error codes, no error metadata.
    #[default]
    V3_7_8,
    /// connector-py 4.x (measured on 4.280): error metadata, 22 error codes, `rate_limit` and
    /// `execution_summary` on success envelopes, `credentials`, `app_info`.
    V4,
}

impl Protocol {
    /// The environment variable that chooses the protocol at run time (`3.7.8` or `4`).
    pub const ENV: &'static str = "CONNECTOR_PROTOCOL";

    /// Every version, oldest first.
    pub const ALL: &'static [Self] = &[Self::V3_7_8, Self::V4];

    /// The version as `CONNECTOR_PROTOCOL` and `--protocol` spell it: `3.7.8` or `4`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V3_7_8 => "3.7.8",
            Self::V4 => "4",
        }
    }

    /// The protocol a bundle was built for (`connector package --protocol`), if this binary
    /// is one: it replaces the integration's declared default.
    pub(crate) fn bundled() -> Option<Self> {
        option_env!("CONNECTOR_BUNDLE_PROTOCOL").and_then(|value| value.parse().ok())
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A protocol name that is neither `3.7.8` nor `4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProtocol(pub String);

impl fmt::Display for UnknownProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown protocol version {:?}: expected 3.7.8 or 4",
            self.0
        )
    }
}

impl std::error::Error for UnknownProtocol {}

impl FromStr for Protocol {
    type Err = UnknownProtocol;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "3.7.8" => Ok(Self::V3_7_8),
            "4" | "4.x" => Ok(Self::V4),
            other => Err(UnknownProtocol(other.to_owned())),
        }
    }
}

thread_local! {
    static WRITING: Cell<Protocol> = const { Cell::new(Protocol::V3_7_8) };
}

/// Runs `write` (a synchronous serialization) with the wire types writing for `protocol`:
/// fields that only `protocol` 4 has are written (`null` when unset) inside, and left out for
/// 3.7.8, so a 3.7.8 document keeps every byte it had.
pub(crate) fn writing<T>(protocol: Protocol, write: impl FnOnce() -> T) -> T {
    struct Restore(Protocol);
    impl Drop for Restore {
        fn drop(&mut self) {
            WRITING.with(|cell| cell.set(self.0));
        }
    }
    let _restore = Restore(WRITING.with(|cell| cell.replace(protocol)));
    write()
}

/// `skip_serializing_if` of a field that protocol 4 added: left out when writing for 3.7.8
/// unless it holds a value.
pub(crate) fn v3_omits<T>(value: &Option<T>) -> bool {
    value.is_none() && WRITING.with(Cell::get) == Protocol::V3_7_8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_restores_the_outer_protocol() {
        let none: Option<u8> = None;
        assert!(v3_omits(&none));
        writing(Protocol::V4, || {
            assert!(!v3_omits(&none));
            writing(Protocol::V3_7_8, || assert!(v3_omits(&none)));
            assert!(!v3_omits(&none));
        });
        assert!(v3_omits(&none));
        assert!(!v3_omits(&Some(1)));
    }

    #[test]
    fn names_round_trip() {
        for protocol in Protocol::ALL {
            assert_eq!(protocol.as_str().parse::<Protocol>().unwrap(), *protocol);
        }
        assert!(
            "3".parse::<Protocol>()
                .unwrap_err()
                .to_string()
                .contains("expected 3.7.8 or 4")
        );
    }
}
