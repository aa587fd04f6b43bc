//! The checks: each counts what it looked at and keeps the first offending items.

use serde::Serialize;

/// How many offending items a check keeps.
const KEPT: usize = 5;

/// One named check.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Check {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) checked: usize,
    pub(crate) failed: usize,
    pub(crate) first_failures: Vec<String>,
}

impl Check {
    pub(crate) fn passed(&self) -> bool {
        self.failed == 0
    }
}

/// Every check of a run, in report order.
#[derive(Debug)]
pub(crate) struct Checks {
    pub(crate) all: Vec<Check>,
}

/// The checks `connector check` runs.
pub(crate) const CHECKS: &[(&str, &str)] = &[
    (
        "envelopes-valid",
        "every envelope validates against the wire types and the protocol's schema",
    ),
    (
        "capabilities-succeed",
        "every call answers a success envelope",
    ),
    (
        "tokens-terminate",
        "page tokens end and never repeat within a listing",
    ),
    ("unique-ids", "no id appears twice in one listing"),
    (
        "page-size",
        "no page holds more items than the requested size",
    ),
    (
        "associations-reference-listed",
        "associations name listed accounts and entitlements",
    ),
    (
        "entitlements-reference-listed",
        "entitlements name listed resources and declared types",
    ),
    (
        "custom-attributes-declared",
        "accounts carry only declared custom attributes",
    ),
    (
        "tenant-stable",
        "two validate_credentials calls name the same tenant",
    ),
    (
        "no-secret-in-output",
        "no secret of --auth appears in any output, in any encoding",
    ),
];

/// The checks protocol 4 adds, over its capabilities 3.7.8 does not have.
const PROTOCOL_4: &[(&str, &str)] = &[
    (
        "get-account-matches",
        "get_account of a sample of listed accounts answers what the listing said",
    ),
    (
        "updated-since-sync",
        "list_updated_accounts since the check's start ends and names only known accounts",
    ),
];

/// The check `--writes` adds.
const WRITES: (&str, &str) = (
    "writes-round-trip",
    "create, assign, unassign, deactivate, activate, delete a throwaway account, each verified by a read",
);

impl Checks {
    pub(crate) fn new(writes: bool, protocol: connector_sdk::Protocol) -> Self {
        let round_trip = writes.then_some(&WRITES);
        let protocol_4 = if protocol == connector_sdk::Protocol::V4 {
            PROTOCOL_4
        } else {
            &[]
        };
        Self {
            all: CHECKS
                .iter()
                .chain(protocol_4)
                .chain(round_trip)
                .map(|(name, description)| Check {
                    name,
                    description,
                    checked: 0,
                    failed: 0,
                    first_failures: Vec::new(),
                })
                .collect(),
        }
    }

    fn get(&mut self, name: &str) -> &mut Check {
        let at = self
            .all
            .iter()
            .position(|check| check.name == name)
            .unwrap_or_else(|| panic!("no check named {name}"));
        &mut self.all[at]
    }

    /// Records one item looked at by `name`: a failure when `problem` is `Some`.
    pub(crate) fn record(&mut self, name: &str, problem: Option<String>) {
        let check = self.get(name);
        check.checked += 1;
        if let Some(problem) = problem {
            check.failed += 1;
            if check.first_failures.len() < KEPT {
                check.first_failures.push(problem);
            }
        }
    }
}
