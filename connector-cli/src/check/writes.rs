//! `--writes`: a round trip on a throwaway account, each step verified by a read, with cleanup
//! attempted even when a step fails.

use serde_json::{Value, json};

use super::Run;

impl Run {
    /// create → assign → the association is visible → unassign → deactivate → activate →
    /// delete. Every step is one record of the `writes-round-trip` check.
    pub(super) fn round_trip(&mut self, entitlements: &[Value], resources: &[Value]) {
        let email = format!("connector-check-{}@example.invalid", std::process::id());
        let step = |run: &mut Self, what: &str, problem: Option<String>| {
            run.checks
                .record("writes-round-trip", problem.map(|p| format!("{what}: {p}")));
        };
        let created = self.write(
            "create_account",
            json!({"email": email, "entitlements": []}),
        );
        step(self, "create_account", created.err());
        let Some(account) = self.find_account(&email) else {
            step(
                self,
                "the new account is listed",
                Some(format!("no account with {email}")),
            );
            return;
        };
        step(self, "the new account is listed", None);
        let id = account["integration_specific_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let target = entitlements
            .iter()
            .find(|e| e["is_assignable"] != false)
            .cloned();
        match target {
            None => step(
                self,
                "assign_entitlement",
                Some("no assignable entitlement".into()),
            ),
            Some(entitlement) => {
                let resource_id = entitlement["integration_specific_resource_id"].clone();
                let resource_type = resources
                    .iter()
                    .find(|r| r["integration_specific_id"] == resource_id)
                    .map_or(json!(""), |r| r["resource_type"].clone());
                let request = json!({
                    "account_integration_specific_id": id,
                    "resource_integration_specific_id": resource_id,
                    "resource_type": resource_type,
                    "entitlement_type": entitlement["entitlement_type"],
                    "entitlement_integration_specific_id": entitlement["integration_specific_id"],
                });
                let key = |a: &Value| {
                    a["account_id"] == id
                        && a["integration_specific_resource_id"] == resource_id
                        && a["integration_specific_entitlement_id"]
                            == entitlement["integration_specific_id"]
                };
                let assigned = self.write("assign_entitlement", request.clone());
                step(self, "assign_entitlement", assigned.err());
                let visible = self.associations().iter().any(key);
                step(
                    self,
                    "the association is listed",
                    (!visible).then(|| "not listed".into()),
                );
                let unassigned = self.write("unassign_entitlement", request);
                step(self, "unassign_entitlement", unassigned.err());
                let gone = !self.associations().iter().any(key);
                step(
                    self,
                    "the association is gone",
                    (!gone).then(|| "still listed".into()),
                );
            }
        }
        for (capability, active) in [("deactivate_account", false), ("activate_account", true)] {
            let done = self.write(capability, json!({"account_id": id}));
            step(self, capability, done.err());
            let status = self.find_account(&email).map(|a| a["user_status"].clone());
            let is_active = status == Some(json!("ACTIVE"));
            let wrong = (is_active != active).then(|| {
                let expected = if active { "ACTIVE" } else { "not ACTIVE" };
                format!("status {status:?}, expected {expected}")
            });
            step(self, &format!("{capability} is visible"), wrong);
        }
        self.delete(&id, &email);
    }

    /// Deletes the throwaway account and checks it is gone; also the cleanup of a failed run.
    fn delete(&mut self, id: &str, email: &str) {
        let deleted = self.write("delete_account", json!({"account_id": id}));
        self.checks.record(
            "writes-round-trip",
            deleted.err().map(|p| format!("delete_account: {p}")),
        );
        let remains = self.find_account(email).is_some();
        self.checks.record(
            "writes-round-trip",
            remains.then(|| format!("the account {id} is still listed after delete_account")),
        );
    }

    /// One write; `Err` is the error envelope's code and message.
    fn write(&mut self, capability: &str, request: Value) -> Result<(), String> {
        let call = self
            .runner
            .call(capability, request, None)
            .map_err(|e| format!("{e:#}"))?;
        match self.envelope(capability, &call) {
            Some(_) => Ok(()),
            None => Err(call.envelope.map_or_else(
                || call.problem.unwrap_or_default(),
                |e| {
                    format!(
                        "{} — {}",
                        e["error"]["error_code"].as_str().unwrap_or("?"),
                        e["error"]["message"].as_str().unwrap_or_default()
                    )
                },
            )),
        }
    }

    fn find_account(&mut self, email: &str) -> Option<Value> {
        let accounts = self.drain_quietly("list_accounts");
        accounts.into_iter().find(|a| a["email"] == email)
    }

    fn associations(&mut self) -> Vec<Value> {
        self.drain_quietly("find_entitlement_associations")
    }

    /// A drain for verification: its pages are checked but not reported as a listing.
    fn drain_quietly(&mut self, capability: &str) -> Vec<Value> {
        let items = self.drain(capability, json!({}));
        self.listings.pop();
        items
    }
}
