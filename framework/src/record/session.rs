//! [`Session`]: the exchanges of one capability call, collected as the HTTP client makes them.

use std::sync::Mutex;

/// One exchange as it happened, before any scrubbing (held in memory only).
#[derive(Debug, Clone)]
pub(crate) struct RawExchange {
    pub(crate) method: String,
    pub(crate) url: url::Url,
    /// Name (lower case), value, and whether it carries a credential.
    pub(crate) request_headers: Vec<(String, String, bool)>,
    pub(crate) request_body: Option<Vec<u8>>,
    pub(crate) status: u16,
    pub(crate) response_headers: Vec<(String, String)>,
    pub(crate) response_body: Vec<u8>,
}

/// The recording of one capability call while it runs: every HTTP client made for the call
/// adds its exchanges and the credential forms it sent.
#[derive(Debug, Default)]
pub(crate) struct Session {
    exchanges: Mutex<Vec<RawExchange>>,
    secrets: Mutex<Vec<String>>,
}

impl Session {
    /// Adds an exchange and the credential forms its request carried.
    pub(crate) fn add(&self, exchange: RawExchange, secrets: &[String]) {
        self.exchanges
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(exchange);
        let mut known = self.secrets.lock().unwrap_or_else(|p| p.into_inner());
        for secret in secrets {
            if !known.contains(secret) {
                known.push(secret.clone());
            }
        }
    }

    /// The exchanges so far.
    pub(crate) fn exchanges(&self) -> Vec<RawExchange> {
        self.exchanges
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The credential forms the clients sent.
    pub(crate) fn secrets(&self) -> Vec<String> {
        self.secrets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
