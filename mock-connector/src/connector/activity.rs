//! Activity (protocol 4): login records, and how fresh each kind of the app's data is.

use std::collections::BTreeMap;

use connector_sdk::capability::{GetDataRecency, ListActivityRecords};
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::Deserialize;

use super::{MockConnector, page_of, require};
use crate::MockSettings;
use crate::client::Api;

/// An activity record as the app returns it (`app_id` on sign-ons to applications).
#[derive(Debug, Deserialize)]
pub(super) struct Record {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    user_id: String,
    at: String,
    #[serde(default)]
    pub(super) app_id: Option<String>,
}

impl Record {
    /// The record in the protocol's words: a login is `ACCOUNT_LOGIN`, by and on the account.
    pub(super) fn into_wire(self) -> wire::ActivityRecord {
        let mut metadata = BTreeMap::from([("source".to_owned(), self.kind)]);
        if let Some(app) = self.app_id {
            metadata.insert("application".to_owned(), app);
        }
        wire::ActivityRecord {
            id: self.id,
            activity_type: wire::ActivityType::AccountLogin.as_str().to_owned(),
            timestamp: self.at,
            actor: wire::ActivityRecordActor {
                account_id: self.user_id.clone(),
            },
            targets: vec![wire::ActivityRecordTarget {
                account_id: Some(self.user_id),
                entitlement: None,
            }],
            metadata: Some(metadata),
        }
    }
}

/// The actors as the app's `actors` query (`u-1,u-2`; empty for everyone).
pub(super) fn actors_query(actors: &[wire::ActivityRecordActor]) -> Result<String, ConnectorError> {
    for actor in actors {
        require("actors[].account_id", &actor.account_id)?;
        if actor.account_id.contains(',') {
            return Err(ConnectorError::bad_request(format!(
                "Invalid request - request.actors: `{}` is not an account id",
                actor.account_id
            )));
        }
    }
    Ok(actors
        .iter()
        .map(|actor| actor.account_id.as_str())
        .collect::<Vec<_>>()
        .join(","))
}

impl ListActivityRecords for MockConnector {
    /// `GET /api/activity?since&actors`: the logins of the actors asked for (everyone's when
    /// none is named) since `since_date`.
    async fn list_activity_records(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::ListActivityRecords,
    ) -> Result<Listing<wire::ActivityRecord>, ConnectorError> {
        require("since_date", &request.since_date)?;
        let actors = actors_query(&request.actors)?;
        let query = [
            ("since", request.since_date.as_str()),
            ("actors", actors.as_str()),
        ];
        let page = page_of::<Record>(ctx, "/api/activity", &query).await?;
        let items = page.items.into_iter().map(Record::into_wire).collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

impl GetDataRecency for MockConnector {
    /// `GET /api/data-recency`: when users, groups, applications and activity last changed.
    async fn get_data_recency(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::GetDataRecency,
    ) -> Result<wire::DataRecency, ConnectorError> {
        let data: BTreeMap<String, Option<String>> =
            Api::new(ctx)?.get("/api/data-recency", &[]).await?;
        Ok(wire::DataRecency { data })
    }
}
