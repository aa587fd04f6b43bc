//! Draining every page of a listing in process, as an async stream.

use futures::Stream;
use futures::stream::{self, StreamExt};
use serde_json::{Value, json};

use super::{Envelope, Integration};
use crate::capability::Connector;
use crate::wire::{CapabilityName, ErrorResponse};

impl<C: Connector> Integration<C> {
    /// Runs a listing page after page, following `page.token`, and yields each page's items.
    ///
    /// `request` is the first request envelope (its `page.size` is kept for every page). The
    /// stream ends after the last page, or after yielding the first error envelope; a listing
    /// that hands back the token it was given fails instead of looping.
    ///
    /// ```
    /// # use connector_sdk::prelude::*;
    /// # use connector_sdk::{ConnectorError, Context, EmptySettings, Integration, Listing, AuthKind, wire};
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// # impl ListAccounts for Demo {
    /// #     async fn list_accounts(&self, ctx: &Context<EmptySettings>, _: wire::ListAccounts)
    /// #         -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
    /// #         let page: u32 = ctx.page_token().map_or(0, |t| t.parse().unwrap());
    /// #         let next = (page < 2).then(|| (page + 1).to_string());
    /// #         Ok(Listing::new(vec![wire::FoundAccountData::new(format!("u{page}"))], next))
    /// #     }
    /// # }
    /// use futures::StreamExt;
    ///
    /// let integration = Integration::builder(Demo, "demo", "1").auth(AuthKind::Token).list_accounts().build();
    /// let request = serde_json::json!({"auth": {"token": {"token": "t"}}, "request": {}});
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let pages: Vec<_> = integration
    ///     .pages(wire::CapabilityName::ListAccounts, request)
    ///     .collect()
    ///     .await;
    /// assert_eq!(pages.len(), 3);
    /// # });
    /// ```
    pub fn pages(
        &self,
        capability: CapabilityName,
        request: Value,
    ) -> impl Stream<Item = Result<Vec<Value>, ErrorResponse>> + '_ {
        let state = Some((request, None::<String>));
        stream::unfold(state, move |state| async move {
            let (mut request, token) = state?;
            if let Some(token) = token {
                let size = request
                    .pointer("/page/size")
                    .cloned()
                    .unwrap_or(Value::Null);
                request["page"] = json!({"token": token, "size": size});
            }
            match self.dispatch_value(capability, request.clone()).await {
                Envelope::Success(response) => {
                    let items = match response.response {
                        Value::Array(items) => items,
                        other => vec![other],
                    };
                    let next = response.page.and_then(|p| p.token);
                    let state = next.map(|token| (request, Some(token)));
                    Some((Ok(items), state))
                }
                Envelope::Error(error) => Some((Err(error), None)),
            }
        })
        .fuse()
    }
}
