//! Names and TCP connections for connectors that open their own sockets (LDAP, databases, …),
//! resolved the way the SDK's HTTP client resolves them.
//!
//! In an ordinary build names go through the system's resolver (glibc's `getaddrinfo`, with
//! its NSS configuration). In the statically linked builds `connector package` makes
//! (`-C target-feature=+crt-static`), glibc's resolver would need the build machine's NSS
//! modules at run time, so names are resolved by hickory-resolver from `/etc/hosts` and
//! `/etc/resolv.conf` instead; without a `resolv.conf` only `/etc/hosts`, `localhost` and IP
//! addresses resolve, and no query goes to a name server the machine did not configure.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! # async fn example() -> std::io::Result<()> {
//! // A connected socket to hand to a protocol library that accepts one.
//! let stream = connector_sdk::net::connect("ldap.example.com", 389, Duration::from_secs(10)).await?;
//! # drop(stream);
//! # Ok(())
//! # }
//! ```

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

/// The addresses of `host` (a name or an IP address, IPv6 without brackets) with `port`.
///
/// # Errors
///
/// `NotFound` when the name does not resolve (the message names it), or the resolver's own
/// error.
pub async fn resolve(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    let addrs = lookup(host, port).await?;
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the name {host:?} has no address"),
        ));
    }
    Ok(addrs)
}

/// A TCP connection to `host:port`: each resolved address in turn until one answers, all of
/// it (resolution included) within `timeout`.
///
/// # Errors
///
/// `TimedOut` when `timeout` passes, else the error of the last address tried (or of the
/// resolution).
pub async fn connect(host: &str, port: u16, timeout: Duration) -> io::Result<std::net::TcpStream> {
    let attempt = async {
        let mut last = None;
        for addr in resolve(host, port).await? {
            match tokio::net::TcpStream::connect(addr).await {
                Ok(stream) => return stream.into_std(),
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no address to connect to")))
    };
    tokio::time::timeout(timeout, attempt)
        .await
        .unwrap_or_else(|_| {
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("connecting to {host}:{port} took longer than {timeout:?}"),
            ))
        })
}

#[cfg(not(target_feature = "crt-static"))]
async fn lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    let addrs = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| io::Error::new(e.kind(), format!("cannot resolve {host:?}: {e}")))?;
    Ok(addrs.collect())
}

#[cfg(target_feature = "crt-static")]
async fn lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    use std::sync::OnceLock;

    use hickory_resolver::TokioResolver;
    use hickory_resolver::config::{LookupIpStrategy, ResolverConfig};
    use hickory_resolver::net::runtime::TokioRuntimeProvider;

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

    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    static RESOLVER: OnceLock<Result<TokioResolver, String>> = OnceLock::new();
    let resolver = RESOLVER
        .get_or_init(build)
        .as_ref()
        .map_err(|e| io::Error::other(format!("cannot set up name resolution: {e}")))?;
    let found = resolver.lookup_ip(host).await.map_err(|e| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("cannot resolve {host:?}: {e}"),
        )
    })?;
    Ok(found.iter().map(|ip| SocketAddr::new(ip, port)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn names_and_addresses_resolve_and_connect() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        for host in ["127.0.0.1", "localhost"] {
            let addrs = resolve(host, port).await.unwrap();
            assert!(
                addrs.iter().any(|a| a.ip().is_loopback()),
                "{host}: {addrs:?}"
            );
            connect(host, port, Duration::from_secs(5)).await.unwrap();
        }
        drop(listener);
        let refused = connect("127.0.0.1", port, Duration::from_secs(5))
            .await
            .unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);
        let unknown = resolve("nowhere.invalid", port).await.unwrap_err();
        assert!(unknown.to_string().contains("nowhere.invalid"), "{unknown}");
    }
}
