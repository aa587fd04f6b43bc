//! Which protocol a run speaks. It is decided before the command line is built, because the
//! subcommands depend on it (`app_info` exists only in protocol 4): the last `--protocol VERSION`
//! or `--protocol=VERSION` on the line, else [`Protocol::ENV`], else the integration's own
//! ([`crate::Integration::protocol`]).

use std::ffi::{OsStr, OsString};

use crate::wire::Protocol;

/// The flag's long name, also its clap id.
pub(super) const FLAG: &str = "protocol";

/// The protocol `args` (program name first) ask for, else the one `env` (the value of
/// [`Protocol::ENV`]) names, else `default`. An empty variable counts as unset; an unknown
/// version is the usage error returned, naming where it came from and the accepted versions.
pub(super) fn choose(
    args: &[OsString],
    env: Option<&OsStr>,
    default: Protocol,
) -> Result<Protocol, String> {
    if let Some(value) = from_args(args) {
        return parse(value).map_err(|error| format!("--{FLAG}: {error}"));
    }
    match env.filter(|value| !value.is_empty()) {
        Some(value) => parse(value).map_err(|error| format!("{}: {error}", Protocol::ENV)),
        None => Ok(default),
    }
}

/// The value of the last `--protocol VALUE` or `--protocol=VALUE` before any `--`. A trailing
/// `--protocol` without a value is left for clap to report.
fn from_args(args: &[OsString]) -> Option<&OsStr> {
    let flag = format!("--{FLAG}");
    let prefix = format!("--{FLAG}=");
    let mut found = None;
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        if arg == "--" {
            break;
        }
        if *arg == *flag {
            if let Some(value) = rest.next() {
                found = Some(value.as_os_str());
            }
        } else if let Some(value) = arg
            .as_encoded_bytes()
            .strip_prefix(prefix.as_bytes())
            .and_then(|value| std::str::from_utf8(value).ok())
        {
            found = Some(OsStr::new(value));
        }
    }
    found
}

fn parse(value: &OsStr) -> Result<Protocol, crate::wire::UnknownProtocol> {
    value
        .to_str()
        .ok_or_else(|| crate::wire::UnknownProtocol(value.to_string_lossy().into_owned()))?
        .parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        std::iter::once("exe")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn the_flag_beats_the_environment_which_beats_the_default() {
        let v4 = Some(OsStr::new("4"));
        let v3 = Some(OsStr::new("3.7.8"));
        let default = Protocol::V3_7_8;
        let cases = [
            (args(&["info"]), None, Protocol::V3_7_8),
            (args(&["info"]), v4, Protocol::V4),
            (args(&["info"]), Some(OsStr::new("")), Protocol::V3_7_8),
            (args(&["--protocol", "3.7.8", "info"]), v4, Protocol::V3_7_8),
            (args(&["info", "--protocol=4"]), v3, Protocol::V4),
            (
                args(&["--protocol", "4", "info", "--protocol", "3.7.8"]),
                None,
                Protocol::V3_7_8,
            ),
            // After `--` nothing is a flag; a trailing flag without a value is clap's to report.
            (
                args(&["info", "--", "--protocol", "4"]),
                None,
                Protocol::V3_7_8,
            ),
            (args(&["info", "--protocol"]), v4, Protocol::V4),
        ];
        for (line, env, expected) in cases {
            assert_eq!(
                choose(&line, env, default),
                Ok(expected),
                "{line:?} {env:?}"
            );
        }
        assert_eq!(
            choose(&args(&["info"]), None, Protocol::V4),
            Ok(Protocol::V4)
        );
    }

    #[test]
    fn an_unknown_version_names_its_source_and_the_accepted_ones() {
        let error = choose(&args(&["--protocol", "5", "info"]), None, Protocol::V4).unwrap_err();
        assert_eq!(
            error,
            r#"--protocol: unknown protocol version "5": expected 3.7.8 or 4"#
        );
        let error = choose(&args(&["info"]), Some(OsStr::new("3")), Protocol::V4).unwrap_err();
        assert_eq!(
            error,
            r#"CONNECTOR_PROTOCOL: unknown protocol version "3": expected 3.7.8 or 4"#
        );
        // A valid flag wins over a broken variable.
        assert_eq!(
            choose(
                &args(&["--protocol=4"]),
                Some(OsStr::new("x")),
                Protocol::V3_7_8
            ),
            Ok(Protocol::V4)
        );
    }
}
