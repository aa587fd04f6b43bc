//! Calling a synchronous (blocking) client library from a capability without stalling the
//! runtime: the Rust counterpart of Python's `sync_to_async`.
//!
//! ```
//! use connector_sdk::{ConnectorError, blocking};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let answer = blocking::run(|| {
//!     std::thread::sleep(std::time::Duration::from_millis(10)); // a blocking call
//!     Ok::<_, ConnectorError>(42)
//! })
//! .await
//! .unwrap();
//! assert_eq!(answer, 42);
//! # });
//! ```

use crate::ConnectorError;

/// Runs `work` on the runtime's blocking thread pool and awaits its result. A panic in `work`
/// becomes an `unexpected_error`.
pub async fn run<T, F>(work: F) -> Result<T, ConnectorError>
where
    F: FnOnce() -> Result<T, ConnectorError> + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(join) if join.is_panic() => {
            let detail = crate::error::panic_message(join.into_panic().as_ref());
            Err(ConnectorError::unexpected(format!(
                "The blocking call panicked: {detail}"
            )))
        }
        Err(join) => Err(ConnectorError::unexpected(format!(
            "The blocking call was cancelled: {join}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn the_runtime_keeps_running_while_a_blocking_call_runs() {
        let started = Instant::now();
        let ticker = async {
            let mut ticks = 0;
            while started.elapsed() < Duration::from_millis(150) {
                tokio::time::sleep(Duration::from_millis(10)).await;
                ticks += 1;
            }
            ticks
        };
        let blocking = run(|| {
            std::thread::sleep(Duration::from_millis(200));
            Ok(())
        });
        let (ticks, result) = tokio::join!(ticker, blocking);
        result.unwrap();
        // On a stalled current-thread runtime the ticker could not tick until the call ended.
        assert!(ticks >= 5, "the runtime stalled: {ticks} ticks");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn panics_become_unexpected_errors() {
        let error = run::<(), _>(|| panic!("sync library exploded"))
            .await
            .unwrap_err();
        assert_eq!(error.code(), crate::wire::ErrorCode::UnexpectedError);
        assert!(error.message().contains("sync library exploded"));
    }
}
