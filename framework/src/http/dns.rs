//! Name resolution of statically linked builds: the HTTP client resolves through
//! [`crate::net`] (hickory-resolver reading `/etc/hosts` and `/etc/resolv.conf`, no NSS), not
//! reqwest's own hickory setup, which falls back to a public resolver without a `resolv.conf`.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// A reqwest resolver over [`crate::net::resolve`] (hickory in these builds).
#[derive(Clone, Debug, Default)]
pub(crate) struct HostsAndResolvConf;

impl Resolve for HostsAndResolvConf {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let addrs = crate::net::resolve(name.as_str(), 0).await?;
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}
