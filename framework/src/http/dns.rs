//! Name resolution of statically linked builds.
//!
//! `connector package` links `main` statically (`-C target-feature=+crt-static`) so a bundle
//! runs on any x86_64 Linux. glibc's own resolver would then need the build machine's NSS
//! modules at run time, so these builds resolve with hickory-resolver, which reads
//! `/etc/hosts` and `/etc/resolv.conf` itself. Without `/etc/resolv.conf` only `/etc/hosts`,
//! `localhost` and IP addresses resolve: no query goes to a name server the machine did not
//! configure (reqwest's own hickory setup would fall back to a public resolver).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{LookupIpStrategy, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// A reqwest resolver over hickory, built on first use and shared by its clones.
#[derive(Clone, Default)]
pub(crate) struct HostsAndResolvConf {
    resolver: Arc<OnceLock<Result<TokioResolver, String>>>,
}

impl std::fmt::Debug for HostsAndResolvConf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HostsAndResolvConf")
    }
}

fn build() -> Result<TokioResolver, String> {
    let mut builder = TokioResolver::builder_tokio().unwrap_or_else(|_| {
        // No /etc/resolv.conf: /etc/hosts only.
        TokioResolver::builder_with_config(
            ResolverConfig::from_parts(None, Vec::new(), Vec::new()),
            TokioRuntimeProvider::default(),
        )
    });
    builder.options_mut().ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    builder.build().map_err(|e| e.to_string())
}

impl Resolve for HostsAndResolvConf {
    fn resolve(&self, name: Name) -> Resolving {
        let cell = Arc::clone(&self.resolver);
        Box::pin(async move {
            let resolver = cell.get_or_init(build).as_ref().map_err(|e| {
                Box::<dyn std::error::Error + Send + Sync>::from(format!(
                    "cannot set up name resolution: {e}"
                ))
            })?;
            let lookup = resolver.lookup_ip(name.as_str()).await?;
            let addrs: Vec<SocketAddr> = lookup.iter().map(|ip| SocketAddr::new(ip, 0)).collect();
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}
