//! `probe_integration` (protocol 4), run by the SDK: the default checks call the connector's
//! own listings in process, as the platform would, with a small first page, and report each
//! check as passed, failed, unsupported or skipped, with a few redacted samples.
//!
//! Each check is a whole dispatch of the listing with the probe's own envelope (its credential
//! and settings), so it meets exactly the validation, error mapping and deadline a real call
//! meets; a failing check carries that call's error. A connector that implements
//! [`crate::capability::ProbeIntegration`] itself replaces all of this.

use std::time::Instant;

use serde_json::{Map, Value, json};

use super::Integration;
use super::dispatch::Envelope;
use crate::capability::Connector;
use crate::wire::{
    CapabilityName, Error, ErrorCode, ProbeCheck, ProbeCheckName, ProbeCheckSource,
    ProbeCheckStatus, ProbeIntegration, ProbeResults, ProbeSample, ProbeSampleAccount,
    ProbeSampleAssociation, ProbeSampleEntitlement, ProbeStatus, Protocol, Response,
};

/// The page size of every default check (4.x's).
pub(crate) const PROBE_PAGE_SIZE: u32 = 10;

/// How many samples a check keeps.
const SAMPLES: usize = 5;

/// The default checks, in order, with the listing each runs.
const CHECKS: [(ProbeCheckName, CapabilityName); 3] = [
    (ProbeCheckName::Accounts, CapabilityName::ListAccounts),
    (
        ProbeCheckName::Entitlements,
        CapabilityName::ListEntitlements,
    ),
    (
        ProbeCheckName::EntitlementAssociations,
        CapabilityName::FindEntitlementAssociations,
    ),
];

/// `ann@example.com` → `a***@example.com`: enough to recognise a sample, not to contact anyone.
fn masked_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => masked(email),
    }
}

/// `Ann Lee` → `A***`.
fn masked(text: &str) -> String {
    let first: String = text.chars().take(1).collect();
    format!("{first}***")
}

fn str_at(item: &Value, key: &str) -> Option<String> {
    item.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The samples of one check, from the listing's items.
fn samples(check: ProbeCheckName, items: &[Value], accounts: &[String]) -> Vec<ProbeSample> {
    items
        .iter()
        .take(SAMPLES)
        .map(|item| match check {
            ProbeCheckName::Accounts => ProbeSample::Account(ProbeSampleAccount {
                kind: "account".to_owned(),
                integration_specific_id: str_at(item, "integration_specific_id")
                    .unwrap_or_default(),
                email: str_at(item, "email").map(|e| masked_email(&e)),
                username: str_at(item, "username").map(|u| masked(&u)),
                user_status: item
                    .get("user_status")
                    .and_then(|s| serde_json::from_value(s.clone()).ok()),
                custom_attributes: None,
            }),
            ProbeCheckName::Entitlements => ProbeSample::Entitlement(ProbeSampleEntitlement {
                kind: "entitlement".to_owned(),
                integration_specific_id: str_at(item, "integration_specific_id")
                    .unwrap_or_default(),
                integration_specific_resource_id: str_at(item, "integration_specific_resource_id")
                    .unwrap_or_default(),
                entitlement_type: str_at(item, "entitlement_type").unwrap_or_default(),
                label: str_at(item, "label").unwrap_or_default(),
            }),
            _ => {
                let account_id = str_at(item, "account_id").unwrap_or_default();
                ProbeSample::Association(ProbeSampleAssociation {
                    kind: "association".to_owned(),
                    linked_to_sampled_account: accounts.contains(&account_id),
                    account_id,
                    integration_specific_entitlement_id: str_at(
                        item,
                        "integration_specific_entitlement_id",
                    )
                    .unwrap_or_default(),
                    integration_specific_resource_id: str_at(
                        item,
                        "integration_specific_resource_id",
                    )
                    .unwrap_or_default(),
                })
            }
        })
        .collect()
}

fn check(check: ProbeCheckName, status: ProbeCheckStatus) -> ProbeCheck {
    ProbeCheck {
        check,
        status,
        source: ProbeCheckSource::Default,
        capability: None,
        observed_count: 0,
        message: None,
        error: None,
        samples: Vec::new(),
        entitlement_types: None,
        custom_attributes: None,
        duration_ms: None,
    }
}

fn millis(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

fn noun(check: ProbeCheckName) -> &'static str {
    match check {
        ProbeCheckName::Accounts => "account(s)",
        ProbeCheckName::Entitlements => "entitlement(s)",
        _ => "association(s)",
    }
}

/// The overall status: passed unless a check failed; partial when others passed.
fn overall(checks: &[ProbeCheck]) -> ProbeStatus {
    let failed = checks.iter().any(|c| c.status == ProbeCheckStatus::Failed);
    let passed = checks.iter().any(|c| c.status == ProbeCheckStatus::Passed);
    match (failed, passed) {
        (false, _) => ProbeStatus::Passed,
        (true, true) => ProbeStatus::Partial,
        (true, false) => ProbeStatus::Failed,
    }
}

impl<C: Connector> Integration<C> {
    /// Whether the SDK answers `probe_integration` in protocol 4: unless the connector
    /// implements it or turned the probe off ([`super::IntegrationBuilder::without_probe`]).
    pub(crate) fn sdk_probes(&self) -> bool {
        self.probe
            && !self
                .capabilities
                .contains_key(&CapabilityName::ProbeIntegration)
    }

    /// Whether `name` is the SDK's `probe_integration` ([`Self::sdk_probes`]).
    pub(crate) fn sdk_probes_as(&self, name: CapabilityName) -> bool {
        name == CapabilityName::ProbeIntegration && self.sdk_probes()
    }

    /// The `capability_schema` entry of the SDK's probe, when it answers one.
    pub(crate) fn probe_schema(&self) -> Option<(String, crate::wire::CapabilitySchema)> {
        self.sdk_probes().then(|| {
            let schema = crate::wire::CapabilitySchema {
                argument: super::info::schema_of::<ProbeIntegration>(),
                output: super::info::schema_of::<ProbeResults>(),
                description: None,
            };
            (CapabilityName::ProbeIntegration.to_string(), schema)
        })
    }

    /// Runs the default checks for the probe request `envelope` (protocol 4).
    pub(crate) async fn probe(&self, envelope: Value) -> Envelope {
        let payload = envelope.get("request").cloned().unwrap_or(json!({}));
        let request: ProbeIntegration = match super::handler::from_value_with_path(&payload) {
            Ok(request) => request,
            Err(error) => {
                let at = if error.path.is_empty() || error.path == "." {
                    "request".to_owned()
                } else {
                    format!("request.{}", error.path)
                };
                return self.reject(
                    Protocol::V4,
                    ErrorCode::BadRequest,
                    format!("Invalid request - {at}: {}", error.message),
                );
            }
        };
        let started = Instant::now();
        let mut checks = Vec::new();
        let mut sampled_accounts: Vec<String> = Vec::new();
        for (name, capability) in CHECKS {
            let wanted = request.checks.as_ref().is_none_or(|c| c.contains(&name));
            if !wanted {
                let mut skipped = check(name, ProbeCheckStatus::Skipped);
                skipped.message = Some("Not requested in this run.".to_owned());
                checks.push(skipped);
                continue;
            }
            if !self.capabilities.contains_key(&capability) {
                let mut unsupported = check(name, ProbeCheckStatus::Unsupported);
                unsupported.capability = Some(capability.as_str().to_owned());
                unsupported.message =
                    Some(format!("This connector does not implement {capability}."));
                unsupported.duration_ms = Some(0);
                checks.push(unsupported);
                continue;
            }
            let mut call = match envelope.as_object() {
                Some(map) => map.clone(),
                None => Map::new(),
            };
            call.insert("request".into(), json!({}));
            call.insert("page".into(), json!({"size": PROBE_PAGE_SIZE}));
            let check_started = Instant::now();
            // Boxed: a probe is itself a dispatch.
            let answer =
                Box::pin(self.dispatch_value_as(Protocol::V4, capability, Value::Object(call)))
                    .await;
            let mut done = check(name, ProbeCheckStatus::Passed);
            done.capability = Some(capability.as_str().to_owned());
            match answer {
                Envelope::Success(Response { response, .. })
                | Envelope::Custom(Response { response, .. }) => {
                    let items = match response.into_value() {
                        Value::Array(items) => items,
                        _ => Vec::new(),
                    };
                    if name == ProbeCheckName::Accounts {
                        sampled_accounts = items
                            .iter()
                            .take(SAMPLES)
                            .filter_map(|item| str_at(item, "integration_specific_id"))
                            .collect();
                    }
                    done.observed_count = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    done.samples = samples(name, &items, &sampled_accounts);
                    done.message = Some(format!("Fetched {} {}.", items.len(), noun(name)));
                }
                Envelope::Error(error) => {
                    // The probe's own envelope is wrong (credential, settings): that is the
                    // caller's error, not a check's.
                    if error.error.error_code == ErrorCode::BadRequest
                        && error.error.status_code.is_none()
                    {
                        return Envelope::Error(error);
                    }
                    done.status = ProbeCheckStatus::Failed;
                    done.message = Some(error.error.message.clone());
                    done.error = Some(Error::clone(&error.error));
                }
            }
            done.duration_ms = Some(millis(check_started));
            checks.push(done);
        }
        let results = ProbeResults {
            status: overall(&checks),
            checks,
            duration_ms: Some(millis(started)),
        };
        match serde_json::to_value(&results) {
            Ok(response) => Envelope::Success(Response::new(response.into()).in_protocol_4()),
            Err(e) => self.reject(
                Protocol::V4,
                ErrorCode::BadRequest,
                format!("The probe's results do not serialize: {e}"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_do_not_show_whole_emails_or_names() {
        assert_eq!(masked_email("ann.lee@example.com"), "a***@example.com");
        assert_eq!(masked("Ann Lee"), "A***");
        assert_eq!(masked_email(""), "***");
    }

    #[test]
    fn a_failed_check_beside_a_passed_one_is_partial() {
        let passed = check(ProbeCheckName::Accounts, ProbeCheckStatus::Passed);
        let failed = check(ProbeCheckName::Entitlements, ProbeCheckStatus::Failed);
        let unsupported = check(ProbeCheckName::Entitlements, ProbeCheckStatus::Unsupported);
        assert_eq!(
            overall(&[passed.clone(), unsupported.clone()]),
            ProbeStatus::Passed
        );
        assert_eq!(overall(&[passed, failed.clone()]), ProbeStatus::Partial);
        assert_eq!(overall(&[failed, unsupported]), ProbeStatus::Failed);
    }
}
