//! `--use-proxy` (alias `--sip`): the app's traffic goes through the proxy the environment
//! configures.
//!
//! The SDK's HTTP client always honours the standard proxy variables (`HTTPS_PROXY`,
//! `HTTP_PROXY`, `ALL_PROXY`, lower-case too, with `NO_PROXY` exceptions), flag or not. The
//! flag states the caller's intent: when no proxy variable is set, the run says so on stderr
//! (the calls would go direct) and carries on; the exit code and stdout do not change.

use std::ffi::OsString;

/// The variables the HTTP client reads a proxy from, in its order of preference.
const VARIABLES: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// The first proxy variable `env` sets to a non-empty value.
fn configured(env: impl Fn(&str) -> Option<OsString>) -> Option<&'static str> {
    VARIABLES
        .into_iter()
        .find(|name| env(name).is_some_and(|value| !value.is_empty()))
}

/// The stderr note of a run given `--use-proxy`: empty when the environment configures a proxy.
pub(super) fn note(env: impl Fn(&str) -> Option<OsString>) -> String {
    if configured(env).is_some() {
        return String::new();
    }
    "warning: --use-proxy: no proxy is configured (set HTTPS_PROXY, HTTP_PROXY or ALL_PROXY); \
     the app is called directly\n"
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_standard_variable_configures_a_proxy() {
        for name in VARIABLES {
            let env = |asked: &str| (asked == name).then(|| OsString::from("http://proxy:3128"));
            assert_eq!(configured(env), Some(name));
            assert_eq!(note(env), "");
        }
    }

    #[test]
    fn without_one_the_run_says_so() {
        let empty = |asked: &str| (asked == "HTTPS_PROXY").then(OsString::new);
        assert_eq!(configured(empty), None);
        assert!(note(empty).starts_with("warning: --use-proxy: no proxy is configured"));
        // NO_PROXY alone configures nothing.
        let no_proxy = |asked: &str| (asked == "NO_PROXY").then(|| OsString::from("*"));
        assert_eq!(configured(no_proxy), None);
    }
}
