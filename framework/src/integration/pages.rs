//! Draining every page of a listing in process, as an async stream.

use futures::Stream;
use futures::stream::{self, StreamExt};
use serde_json::{Value, json};

use super::{Envelope, Integration};
use crate::capability::Connector;
use crate::wire::{CapabilityName, ErrorCode, ErrorResponse};

impl<C: Connector> Integration<C> {
    /// Runs a listing page after page, following `page.token`, and yields each page's items.
    ///
    /// `request` is the first request envelope (its `page.size` is kept for every page). The
    /// stream ends after the last page, or after yielding the first error envelope. A listing
    /// that makes no progress fails instead of looping: one that hands out a token it handed
    /// out before, or more than [`crate::pagination::MAX_EMPTY_PAGES`] empty pages in a row.
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
        /// Where the walk is: the request, the token to send, every token seen, and how many
        /// empty pages came in a row.
        struct Walk {
            request: Value,
            token: Option<String>,
            seen: std::collections::HashSet<String>,
            empty_run: u32,
            /// An error to yield after the page that revealed it.
            pending: Option<ErrorResponse>,
        }
        let state = Some(Walk {
            request,
            token: None,
            seen: std::collections::HashSet::new(),
            empty_run: 0,
            pending: None,
        });
        stream::unfold(state, move |state| async move {
            let mut walk = state?;
            if let Some(error) = walk.pending.take() {
                return Some((Err(error), None));
            }
            if let Some(token) = &walk.token {
                let size = walk
                    .request
                    .pointer("/page/size")
                    .cloned()
                    .unwrap_or(Value::Null);
                walk.request["page"] = json!({"token": token, "size": size});
            }
            match self.dispatch_value(capability, walk.request.clone()).await {
                Envelope::Success(response) | Envelope::Custom(response) => {
                    let items = match response.response.into_value() {
                        Value::Array(items) => items,
                        other => vec![other],
                    };
                    let Some(next) = response.page.and_then(|p| p.token) else {
                        return Some((Ok(items), None));
                    };
                    walk.empty_run = if items.is_empty() {
                        walk.empty_run.saturating_add(1)
                    } else {
                        0
                    };
                    let stuck = if !walk.seen.insert(next.clone()) {
                        Some("handed out a page token it had handed out before")
                    } else if walk.empty_run > crate::pagination::MAX_EMPTY_PAGES {
                        Some("sent empty pages with new tokens too many times in a row")
                    } else {
                        None
                    };
                    if let Some(why) = stuck {
                        let message = format!(
                            "The listing {capability} {why}; stopping instead of paging forever"
                        );
                        // This page's items are still delivered, then the error.
                        walk.pending = Some(ErrorResponse::new(self.request_error(
                            self.protocol(),
                            ErrorCode::InternalError,
                            message,
                        )));
                        return Some((Ok(items), Some(walk)));
                    }
                    walk.token = Some(next);
                    Some((Ok(items), Some(walk)))
                }
                Envelope::Error(error) => Some((Err(error), None)),
            }
        })
        .fuse()
    }
}
