//! Paging through 10,000 users end to end: one connector process per page, pages of 500, as
//! the on-prem agent runs it. Every id must arrive exactly once. The page latencies are printed
//! for the record, not asserted (timings belong to `just ldap-demo`, which measures page 1 vs
//! page 20 on an idle machine).

use std::time::{Duration, Instant};

use serde_json::json;

use crate::slapd::{PEOPLE, person};
use crate::support::{Call, PEOPLE_COUNT, exactly_once, lower};

const PAGE: u32 = 500;

#[test]
fn ten_thousand_users_through_the_cli_arrive_exactly_once() {
    let listing = Call::new("list_accounts").settings(json!({"user_search_base": PEOPLE}));
    let mut page = json!({"size": PAGE});
    let mut ids = Vec::with_capacity(PEOPLE_COUNT);
    let mut latencies: Vec<Duration> = Vec::new();
    let started = Instant::now();
    loop {
        let (document, elapsed) = listing.clone().page(page.clone()).timed();
        assert_eq!(document.get("is_error"), None, "{document}");
        latencies.push(elapsed);
        let accounts = document["response"].as_array().unwrap();
        assert!(accounts.len() <= PAGE as usize);
        ids.extend(
            accounts
                .iter()
                .map(|a| a["integration_specific_id"].as_str().unwrap().to_owned()),
        );
        match document["page"]["token"].as_str() {
            Some(token) => page = json!({"size": PAGE, "token": token}),
            None => break,
        }
    }
    let total = started.elapsed();
    let pages = latencies.len();
    eprintln!(
        "list_accounts: {} users in {pages} processes of {PAGE} in {total:.2?}; page 1 {:.2?}, \
         page 10 {:.2?}, page {pages} {:.2?}; all pages {latencies:.0?}",
        ids.len(),
        latencies[0],
        latencies[9.min(pages - 1)],
        latencies[pages - 1],
    );

    assert_eq!(
        pages,
        PEOPLE_COUNT / PAGE as usize,
        "no empty trailing page"
    );
    let ids = exactly_once(ids);
    assert_eq!(lower(ids), lower((0..PEOPLE_COUNT).map(person)));
}
