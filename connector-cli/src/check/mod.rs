//! `connector check`: sync a tenant the way the platform does, and prove the connector correct.
//!
//! It runs the connector executable once per call, as the on-prem agent does: `info`, two
//! `validate_credentials`, then a full drain of every read capability the connector registers,
//! page after page, following page tokens. Each envelope and each listing goes through the
//! checks of `checks::CHECKS`; the result is a summary table on stdout, a live progress line
//! on stderr, and optionally a JSON and an HTML report. Exit 0 when every check passes, 1 when
//! one fails.

mod checks;
mod report;
mod runner;
mod writes;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use connector_sdk::Protocol;
use serde::Serialize;
use serde_json::{Value, json};

use checks::Checks;
use runner::{Call, Runner};

/// What `connector check` runs against.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The connector executable.
    pub exe: PathBuf,
    /// The request's `settings`.
    pub settings: Value,
    /// The request's `auth`.
    pub auth: Value,
    /// The page size asked for (default 500).
    pub page_size: u32,
    /// The most pages drained per listing (a safety bound).
    pub max_pages: u32,
    /// Where to write the JSON report.
    pub report: Option<PathBuf>,
    /// Where to write the HTML report.
    pub html: Option<PathBuf>,
    /// Whether to draw progress on stderr.
    pub progress: bool,
    /// Whether to run the write round trip on a throwaway account.
    pub writes: bool,
    /// The protocol the connector is run in (`CONNECTOR_PROTOCOL`) and its envelopes are
    /// validated against.
    pub protocol: Protocol,
}

/// One page of a listing, as the report records it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageRecord {
    pub(crate) index: usize,
    pub(crate) items: usize,
    pub(crate) millis: f64,
}

/// One drained listing.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Listing {
    pub(crate) capability: String,
    pub(crate) items: usize,
    pub(crate) pages: Vec<PageRecord>,
}

/// What a run found.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub(crate) app_id: String,
    pub(crate) version: String,
    pub(crate) checks: Vec<checks::Check>,
    pub(crate) listings: Vec<Listing>,
    pub(crate) elapsed_seconds: f64,
}

impl Outcome {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(checks::Check::passed)
    }

    /// The summary table printed at the end.
    pub fn summary(&self) -> String {
        report::summary(self)
    }
}

/// Runs the checks; `Err` only when the run itself could not happen (no executable, no `info`).
pub fn check(options: &CheckOptions) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let mut run = Run {
        runner: Runner::new(
            &options.exe,
            options.settings.clone(),
            options.auth.clone(),
            options.protocol,
        )?,
        checks: Checks::new(options.writes, options.protocol),
        secrets: connector_sdk::credential::SecretForms::of_credentials(&options.auth),
        listings: Vec::new(),
        options: options.clone(),
        progress: progress_bar(options.progress),
        schema: Schema::new(options.protocol)?,
    };
    let info = run.runner.info()?;
    run.scan(&info);
    let info = info
        .envelope
        .and_then(|envelope| envelope.get("response").cloned())
        .with_context(|| format!("`{} info` gave no info document", options.exe.display()))?;
    let capabilities: BTreeSet<String> = info["capabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let has = |name: &str| capabilities.contains(name);
    // What changed since this moment is what list_updated_accounts must answer at the end.
    let sync_started = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .context("formatting the check's start time")?;

    if has("validate_credentials") {
        let first = run.single("validate_credentials");
        let second = run.single("validate_credentials");
        let tenant = |v: &Option<Value>| v.as_ref().map(|v| v["unique_tenant_id"].clone());
        let (a, b) = (tenant(&first), tenant(&second));
        let problem = (a != b).then(|| format!("tenant ids differ: {a:?}, then {b:?}"));
        run.checks.record("tenant-stable", problem);
    }
    let attributes = if has("list_custom_attributes_schema") {
        run.drain("list_custom_attributes_schema", json!({}))
    } else {
        Vec::new()
    };
    // Accounts with every declared custom attribute asked for, so the check sees them.
    let names: Vec<&Value> = attributes.iter().map(|a| &a["name"]).collect();
    let accounts = if has("list_accounts") {
        let request = if names.is_empty() {
            json!({})
        } else {
            json!({"custom_attributes": names})
        };
        run.drain("list_accounts", request)
    } else {
        Vec::new()
    };
    let resources = if has("list_resources") {
        run.drain("list_resources", json!({}))
    } else {
        Vec::new()
    };
    let entitlements = if has("list_entitlements") {
        run.drain("list_entitlements", json!({}))
    } else {
        Vec::new()
    };
    let associations = if has("find_entitlement_associations") {
        run.drain("find_entitlement_associations", json!({}))
    } else {
        Vec::new()
    };
    if has("get_last_activity") {
        let ids: Vec<Value> = accounts
            .iter()
            .map(|a| a["integration_specific_id"].clone())
            .collect();
        for batch in ids.chunks(options.page_size.max(1) as usize) {
            run.drain("get_last_activity", json!({"account_ids": batch}));
        }
    }
    if options.writes {
        run.round_trip(&entitlements, &resources);
    }
    if options.protocol == Protocol::V4 {
        if has("get_account") {
            run.get_account_sample(&accounts);
        }
        if has("list_updated_accounts") {
            run.updated_since(&sync_started, &accounts);
        }
    }
    references(
        &mut run.checks,
        &info,
        &accounts,
        &resources,
        &entitlements,
        &associations,
        has("list_custom_attributes_schema").then_some(&attributes),
    );
    run.progress.finish_and_clear();
    let outcome = Outcome {
        app_id: info["app_id"].as_str().unwrap_or_default().to_owned(),
        version: info["version"].as_str().unwrap_or_default().to_owned(),
        checks: run.checks.all,
        listings: run.listings,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    };
    if let Some(path) = &options.report {
        let text = serde_json::to_string_pretty(&outcome).context("the JSON report")?;
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &options.html {
        std::fs::write(path, report::html(&outcome))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(outcome)
}

struct Run {
    runner: Runner,
    checks: Checks,
    /// The SDK's redaction layer's list of secret forms: the one place they are defined.
    secrets: connector_sdk::credential::SecretForms,
    listings: Vec<Listing>,
    options: CheckOptions,
    progress: indicatif::ProgressBar,
    schema: Schema,
}

impl Run {
    /// Scans a call's whole output for secrets.
    fn scan(&mut self, call: &Call) {
        let leaked = self
            .secrets
            .found_in(&call.output)
            .then(|| "an output carries a secret of --auth (not shown)".to_owned());
        self.checks.record("no-secret-in-output", leaked);
    }

    /// Checks one call's envelope; the response when it is a success.
    fn envelope(&mut self, capability: &str, call: &Call) -> Option<Value> {
        self.scan(call);
        let Some(envelope) = &call.envelope else {
            let problem = call.problem.clone().unwrap_or_default();
            self.checks
                .record("envelopes-valid", Some(format!("{capability}: {problem}")));
            self.checks.record(
                "capabilities-succeed",
                Some(format!("{capability}: {problem}")),
            );
            return None;
        };
        let problem = self.schema.check(capability, envelope);
        self.checks.record("envelopes-valid", problem);
        if envelope["is_error"] == true {
            let error = &envelope["error"];
            self.checks.record(
                "capabilities-succeed",
                Some(format!(
                    "{capability}: {} — {}",
                    error["error_code"].as_str().unwrap_or("?"),
                    error["message"].as_str().unwrap_or_default()
                )),
            );
            return None;
        }
        self.checks.record("capabilities-succeed", None);
        Some(envelope.clone())
    }

    fn single(&mut self, capability: &str) -> Option<Value> {
        match self.runner.call(capability, json!({}), None) {
            Ok(call) => self
                .envelope(capability, &call)
                .map(|envelope| envelope["response"].clone()),
            Err(error) => {
                let problem = Some(format!("{capability}: {error:#}"));
                self.checks.record("capabilities-succeed", problem);
                None
            }
        }
    }

    /// Drains a listing; its items.
    fn drain(&mut self, capability: &str, request: Value) -> Vec<Value> {
        let size = self.options.page_size;
        let mut items = Vec::new();
        let mut pages = Vec::new();
        let mut token: Option<String> = None;
        let mut seen_tokens = HashSet::new();
        let mut seen_ids: HashMap<String, usize> = HashMap::new();
        let started = Instant::now();
        loop {
            let mut page = json!({"size": size});
            if let Some(token) = &token {
                page["token"] = json!(token);
            }
            let call = match self.runner.call(capability, request.clone(), Some(page)) {
                Ok(call) => call,
                Err(error) => {
                    let problem = Some(format!("{capability}: {error:#}"));
                    self.checks.record("capabilities-succeed", problem);
                    break;
                }
            };
            let Some(envelope) = self.envelope(capability, &call) else {
                break;
            };
            let page_items = envelope["response"].as_array().cloned().unwrap_or_default();
            pages.push(PageRecord {
                index: pages.len() + 1,
                items: page_items.len(),
                millis: call.elapsed.as_secs_f64() * 1000.0,
            });
            let oversized = (page_items.len() > size as usize).then(|| {
                format!(
                    "{capability} page {}: {} items, {size} asked for",
                    pages.len(),
                    page_items.len()
                )
            });
            self.checks.record("page-size", oversized);
            if capability != "get_last_activity" {
                for item in &page_items {
                    let id = identity(capability, item);
                    let twice = seen_ids.insert(id.clone(), pages.len()).map(|first| {
                        format!(
                            "{capability}: {id} on page {first} and page {}",
                            pages.len()
                        )
                    });
                    self.checks.record("unique-ids", twice);
                }
            }
            items.extend(page_items);
            self.progress.set_message(format!(
                "{capability}: {} pages, {} items, {:.0} items/s",
                pages.len(),
                items.len(),
                items.len() as f64 / started.elapsed().as_secs_f64().max(1e-3)
            ));
            self.progress.tick();
            match envelope["page"]["token"].as_str() {
                None => {
                    self.checks.record("tokens-terminate", None);
                    break;
                }
                Some(next) if !seen_tokens.insert(next.to_owned()) => {
                    self.checks.record(
                        "tokens-terminate",
                        Some(format!(
                            "{capability}: page {} handed out a token seen before",
                            pages.len()
                        )),
                    );
                    break;
                }
                Some(_) if pages.len() >= self.options.max_pages as usize => {
                    self.checks.record(
                        "tokens-terminate",
                        Some(format!(
                            "{capability}: still paging after --max-pages {}",
                            self.options.max_pages
                        )),
                    );
                    break;
                }
                Some(next) => token = Some(next.to_owned()),
            }
        }
        // get_last_activity runs once per batch of account ids: one listing in the report.
        match self.listings.last_mut() {
            Some(last) if last.capability == capability && capability == "get_last_activity" => {
                let offset = last.pages.len();
                last.pages.extend(pages.into_iter().map(|mut page| {
                    page.index += offset;
                    page
                }));
                last.items += items.len();
            }
            _ => self.listings.push(Listing {
                capability: capability.to_owned(),
                items: items.len(),
                pages,
            }),
        }
        items
    }
}

/// How many listed accounts `get_account` reads back.
const GET_ACCOUNT_SAMPLE: usize = 10;

/// The fields of an account that `get_account` must answer as the listing did.
const ACCOUNT_FIELDS: [&str; 5] = [
    "integration_specific_id",
    "email",
    "username",
    "given_name",
    "family_name",
];

impl Run {
    /// Reads a sample of listed accounts (spread over the listing) with `get_account`.
    fn get_account_sample(&mut self, accounts: &[Value]) {
        let step = (accounts.len() / GET_ACCOUNT_SAMPLE).max(1);
        for listed in accounts.iter().step_by(step).take(GET_ACCOUNT_SAMPLE) {
            let id = listed["integration_specific_id"].clone();
            let request = json!({"account_id": id});
            let call = match self.runner.call("get_account", request, None) {
                Ok(call) => call,
                Err(error) => {
                    let problem = Some(format!("get_account: {error:#}"));
                    self.checks.record("capabilities-succeed", problem);
                    continue;
                }
            };
            let Some(envelope) = self.envelope("get_account", &call) else {
                self.checks.record(
                    "get-account-matches",
                    Some(format!("get_account {id}: failed")),
                );
                continue;
            };
            let read = &envelope["response"];
            let differs: Vec<&str> = ACCOUNT_FIELDS
                .into_iter()
                .filter(|field| read[*field] != listed[*field])
                .collect();
            let problem = (!differs.is_empty()).then(|| {
                format!(
                    "get_account {id}: {} differ from the listing",
                    differs.join(", ")
                )
            });
            self.checks.record("get-account-matches", problem);
        }
    }

    /// Drains `list_updated_accounts` since `since` by its own cursor: it must end, and every
    /// account it names must be one the listing named.
    fn updated_since(&mut self, since: &str, accounts: &[Value]) {
        let known: HashSet<&str> = accounts
            .iter()
            .filter_map(|a| a["integration_specific_id"].as_str())
            .collect();
        let mut cursor: Option<String> = None;
        let mut seen_cursors = HashSet::new();
        for round in 1..=self.options.max_pages {
            let request = json!({"since": since, "cursor": cursor});
            let call = match self.runner.call("list_updated_accounts", request, None) {
                Ok(call) => call,
                Err(error) => {
                    let problem = Some(format!("list_updated_accounts: {error:#}"));
                    self.checks.record("capabilities-succeed", problem);
                    return;
                }
            };
            let Some(envelope) = self.envelope("list_updated_accounts", &call) else {
                self.checks.record(
                    "updated-since-sync",
                    Some("list_updated_accounts failed".to_owned()),
                );
                return;
            };
            let response = &envelope["response"];
            for account in response["accounts"].as_array().into_iter().flatten() {
                let id = account["integration_specific_id"]
                    .as_str()
                    .unwrap_or_default();
                let problem = (!known.contains(id)).then(|| {
                    format!("list_updated_accounts names {id:?}, which list_accounts did not")
                });
                self.checks.record("updated-since-sync", problem);
            }
            match response["cursor"].as_str() {
                None => {
                    self.checks.record("updated-since-sync", None);
                    return;
                }
                Some(next) if !seen_cursors.insert(next.to_owned()) => {
                    let problem = format!("round {round} handed out a cursor seen before");
                    self.checks.record("updated-since-sync", Some(problem));
                    return;
                }
                Some(next) => cursor = Some(next.to_owned()),
            }
        }
        let problem = format!("still going after --max-pages {}", self.options.max_pages);
        self.checks.record("updated-since-sync", Some(problem));
    }
}

/// What identifies an item of a listing.
fn identity(capability: &str, item: &Value) -> String {
    let field = |name: &str| item[name].as_str().unwrap_or_default().to_owned();
    match capability {
        "list_entitlements" => format!(
            "{}/{}",
            field("integration_specific_resource_id"),
            field("integration_specific_id")
        ),
        "find_entitlement_associations" => format!(
            "{}→{}/{}",
            field("account_id"),
            field("integration_specific_resource_id"),
            field("integration_specific_entitlement_id")
        ),
        "list_custom_attributes_schema" => field("name"),
        _ => field("integration_specific_id"),
    }
}

/// The cross-listing checks: associations, entitlements, custom attributes.
fn references(
    checks: &mut Checks,
    info: &Value,
    accounts: &[Value],
    resources: &[Value],
    entitlements: &[Value],
    associations: &[Value],
    attributes: Option<&Vec<Value>>,
) {
    let ids = |items: &[Value], f: &dyn Fn(&Value) -> String| -> HashSet<String> {
        items.iter().map(f).collect()
    };
    let account_ids = ids(accounts, &|a| identity("list_accounts", a));
    let resource_ids = ids(resources, &|r| identity("list_resources", r));
    let entitlement_ids = ids(entitlements, &|e| identity("list_entitlements", e));
    for association in associations {
        let account = association["account_id"].as_str().unwrap_or_default();
        let entitlement = format!(
            "{}/{}",
            association["integration_specific_resource_id"]
                .as_str()
                .unwrap_or_default(),
            association["integration_specific_entitlement_id"]
                .as_str()
                .unwrap_or_default()
        );
        let problem = if !account_ids.contains(account) {
            Some(format!("account {account} was never listed"))
        } else if !entitlement_ids.contains(&entitlement) {
            Some(format!("entitlement {entitlement} was never listed"))
        } else {
            None
        };
        checks.record("associations-reference-listed", problem);
    }
    let declared: HashSet<&str> = info["entitlement_types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["type_id"].as_str())
        .collect();
    for entitlement in entitlements {
        let resource = entitlement["integration_specific_resource_id"]
            .as_str()
            .unwrap_or_default();
        let kind = entitlement["entitlement_type"].as_str().unwrap_or_default();
        let problem = if !resource.is_empty() && !resource_ids.contains(resource) {
            Some(format!("resource {resource} was never listed"))
        } else if !declared.contains(kind) {
            Some(format!("entitlement type {kind} is not declared in info"))
        } else {
            None
        };
        checks.record("entitlements-reference-listed", problem);
    }
    if let Some(attributes) = attributes {
        let names: HashSet<&str> = attributes
            .iter()
            .filter_map(|a| a["name"].as_str())
            .collect();
        for account in accounts {
            for name in account["custom_attributes"]
                .as_object()
                .into_iter()
                .flat_map(|map| map.keys())
            {
                let problem = (!names.contains(name.as_str())).then(|| {
                    format!(
                        "account {} carries undeclared {name}",
                        identity("list_accounts", account)
                    )
                });
                checks.record("custom-attributes-declared", problem);
            }
        }
    }
}

/// The protocol's schema (3.7.8 or 4.x), compiled per envelope kind on first use.
struct Schema {
    defs: Value,
    validators: HashMap<String, jsonschema::Validator>,
}

/// The committed schema of each protocol version (the reference's wire format, generated from
/// connector-py's models); both name their envelopes alike (`ListAccountsResponse`, …).
fn schema_text(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::V4 => include_str!("../../../framework/tests/data/wire-format-4.x.schema.json"),
        _ => include_str!("../../../framework/tests/data/wire-format-3.7.8.schema.json"),
    }
}

impl Schema {
    fn new(protocol: Protocol) -> anyhow::Result<Self> {
        let schema: Value = serde_json::from_str(schema_text(protocol))
            .with_context(|| format!("the committed {protocol} schema"))?;
        Ok(Self {
            defs: schema["$defs"].clone(),
            validators: HashMap::new(),
        })
    }

    /// The schema problem of an envelope, if any.
    fn check(&mut self, capability: &str, envelope: &Value) -> Option<String> {
        let definition = if envelope["is_error"] == true {
            "ErrorResponse".to_owned()
        } else if capability == "handle_client_credentials_request" {
            "HandleClientCredentialsResponse".to_owned()
        } else {
            format!("{}Response", heck::AsUpperCamelCase(capability))
        };
        if !self.validators.contains_key(&definition) {
            let root = json!({"$defs": self.defs, "$ref": format!("#/$defs/{definition}")});
            match jsonschema::validator_for(&root) {
                Ok(validator) => {
                    self.validators.insert(definition.clone(), validator);
                }
                Err(error) => return Some(format!("{definition}: {error}")),
            }
        }
        let validator = &self.validators[&definition];
        let schema_error = validator
            .iter_errors(envelope)
            .next()
            .map(|e| format!("{capability}: {definition} at {}: {e}", e.instance_path));
        schema_error.or_else(|| wire_type_problem(capability, envelope))
    }
}

/// Whether the envelope reads as the SDK's wire type of the capability (the capability table
/// names the type; a name the SDK does not know is the schema's business alone).
fn wire_type_problem(capability: &str, envelope: &Value) -> Option<String> {
    let name = capability
        .parse::<connector_sdk::wire::CapabilityName>()
        .ok()?;
    name.read_envelope(envelope)
        .err()
        .map(|e| format!("{capability}: not the SDK's wire type: {e}"))
}

fn progress_bar(enabled: bool) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Reads `--settings`/`--auth`: inline JSON, `@file`, or `env:VAR` (the JSON in a variable, so
/// secrets stay off the command line).
pub fn read_json_argument(flag: &str, text: &str) -> anyhow::Result<Value> {
    let content = if let Some(path) = text.strip_prefix('@') {
        std::fs::read_to_string(path).with_context(|| format!("{flag}: reading {path}"))?
    } else if let Some(variable) = text.strip_prefix("env:") {
        std::env::var(variable)
            .with_context(|| format!("{flag}: environment variable {variable}"))?
    } else {
        text.to_owned()
    };
    let value: Value = serde_json::from_str(&content)
        .map_err(|e| anyhow::anyhow!("{flag} is not JSON ({e}); its value is not shown"))?;
    if !value.is_object() {
        bail!("{flag} must be a JSON object");
    }
    Ok(value)
}
