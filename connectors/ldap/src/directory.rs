//! A bound connection to the directory: connect (plain, LDAPS or StartTLS), bind with the
//! request's credential, and the handful of operations the capabilities need, each with the
//! settings' timeout and its failures mapped to wire errors.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use connector_sdk::http::CA_BUNDLE_ENV;
use connector_sdk::{ConnectorError, Context};
use ldap3::controls::RawControl;
use ldap3::{
    Ldap, LdapConnAsync, LdapConnSettings, LdapResult, Mod, Scope, SearchEntry, SearchOptions,
    StdStream,
};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::{self, rc};
use crate::settings::LdapSettings;

/// The app error code of `invalidDNSyntax`: an id that is no DN.
const INVALID_DN_SYNTAX: &str = "ldap:34";

/// A connection bound as the request's user.
#[derive(Debug)]
pub(crate) struct Directory {
    ldap: Ldap,
    timeout: Duration,
}

/// Entries found by a search, and whether the server stopped early at a size limit.
#[derive(Debug)]
pub(crate) struct Found {
    pub(crate) entries: Vec<SearchEntry>,
    pub(crate) truncated: bool,
}

/// One search: where, what, how much.
#[derive(Debug)]
pub(crate) struct Search<'a> {
    pub(crate) base: &'a str,
    pub(crate) scope: Scope,
    pub(crate) filter: &'a str,
    pub(crate) attributes: Vec<String>,
    /// At most this many entries (0: the server's limit).
    pub(crate) size_limit: u32,
    pub(crate) controls: Vec<RawControl>,
}

impl Directory {
    /// Connects to `settings.server_url` and binds with the request's basic credential (the
    /// username is the bind DN).
    pub(crate) async fn connect(ctx: &Context<LdapSettings>) -> Result<Self, ConnectorError> {
        let settings = ctx.settings();
        settings.check()?;
        let basic = ctx.basic()?;
        if basic.username.trim().is_empty() || basic.password.is_empty() {
            // An empty password is an RFC 4513 "unauthenticated bind": it would succeed as
            // anonymous on many servers. Never treat it as a valid credential.
            return Err(ConnectorError::unauthorized(
                "Invalid credentials: the bind DN and the password must not be empty",
            ));
        }
        let url = settings.server_url.trim();
        let timeout = settings.timeout();
        let mut options = LdapConnSettings::new()
            .set_conn_timeout(timeout)
            .set_starttls(settings.start_tls);
        if settings.start_tls || url.starts_with("ldaps://") {
            options = options.set_config(tls_config(settings)?);
        }
        // The socket is opened through the SDK, which resolves the name the way its HTTP
        // client does (without glibc's NSS in a statically linked bundle); ldap3 runs the
        // protocol, TLS included, over it, with the URL's host for certificate checks.
        let (host, port) = server_address(url)?;
        let stream = connector_sdk::net::connect(&host, port, timeout)
            .await
            .map_err(error::from_connect)?;
        options = options.set_std_stream(StdStream::Tcp(stream));
        let (connection, mut ldap) = LdapConnAsync::with_settings(options, url)
            .await
            .map_err(|e| error::from_ldap("connect", e, true))?;
        ldap3::drive!(connection);
        let bound = ldap
            .with_timeout(timeout)
            .simple_bind(&basic.username, basic.password.expose())
            .await
            .map_err(|e| error::from_ldap("bind", e, false))?;
        error::check("bind", bound)?;
        tracing::debug!(server = url, "bound to the LDAP server");
        Ok(Self { ldap, timeout })
    }

    /// Runs a search. `sizeLimitExceeded` is not an error: it sets `truncated`.
    pub(crate) async fn search(&mut self, search: Search<'_>) -> Result<Found, ConnectorError> {
        let (found, result) = self.search_raw(search).await?;
        match result.rc {
            rc::SUCCESS => Ok(found),
            rc::SIZE_LIMIT_EXCEEDED => Ok(Found {
                truncated: true,
                ..found
            }),
            _ => Err(error::from_result("search", &result)),
        }
    }

    /// Runs a search and returns the entries with the server's result, whatever its code.
    async fn search_raw(
        &mut self,
        search: Search<'_>,
    ) -> Result<(Found, LdapResult), ConnectorError> {
        let limit = i32::try_from(search.size_limit).unwrap_or(i32::MAX);
        let seconds = i32::try_from(self.timeout.as_secs()).unwrap_or(i32::MAX);
        let ldap = self
            .ldap
            .with_timeout(self.timeout)
            .with_search_options(SearchOptions::new().sizelimit(limit).timelimit(seconds));
        if !search.controls.is_empty() {
            ldap.with_controls(search.controls);
        }
        let ldap3::SearchResult(entries, result) = ldap
            .search(search.base, search.scope, search.filter, search.attributes)
            .await
            .map_err(|e| error::from_ldap("search", e, false))?;
        let entries = entries
            .into_iter()
            .filter(|entry| !entry.is_ref() && !entry.is_intermediate())
            .map(SearchEntry::construct)
            .collect();
        let found = Found {
            entries,
            truncated: false,
        };
        Ok((found, result))
    }

    /// Reads one entry by DN if it matches `filter`; `None` if it does not exist or does not
    /// match.
    pub(crate) async fn read(
        &mut self,
        dn: &str,
        filter: &str,
        attributes: Vec<String>,
    ) -> Result<Option<SearchEntry>, ConnectorError> {
        let (found, result) = self
            .search_raw(Search {
                base: dn,
                scope: Scope::Base,
                filter,
                attributes,
                size_limit: 1,
                controls: Vec::new(),
            })
            .await?;
        match result.rc {
            rc::SUCCESS => Ok(found.entries.into_iter().next()),
            rc::NO_SUCH_OBJECT => Ok(None),
            _ => Err(error::from_result("search", &result)),
        }
    }

    /// Reads one entry by DN; a `not_found` error naming `what` if it does not exist or does
    /// not match `filter`.
    pub(crate) async fn require(
        &mut self,
        what: &str,
        dn: &str,
        filter: &str,
        attributes: Vec<String>,
    ) -> Result<SearchEntry, ConnectorError> {
        self.read(dn, filter, attributes)
            .await?
            .ok_or_else(|| ConnectorError::not_found(format!("No {what} with the DN {dn:?}")))
    }

    /// Checks that `dn` exists and matches `filter` (reading no attributes), else `not_found`.
    pub(crate) async fn require_entry(
        &mut self,
        what: &str,
        dn: &str,
        filter: &str,
    ) -> Result<(), ConnectorError> {
        self.require(what, dn, filter, vec!["1.1".to_owned()])
            .await
            .map(drop)
    }

    /// Finds the account `id` names (its DN; on Active Directory its objectGUID, looked up
    /// with AD's `<GUID=…>` DN form, so a renamed or moved account keeps its id) and returns
    /// its DN; `not_found` if there is none matching the user filter.
    pub(crate) async fn require_account(
        &mut self,
        settings: &LdapSettings,
        id: &str,
    ) -> Result<String, ConnectorError> {
        self.resolve("account", settings, id, &settings.user_filter)
            .await
    }

    /// Finds the group `id` names (as [`Self::require_account`]) and returns its DN.
    pub(crate) async fn require_group(
        &mut self,
        settings: &LdapSettings,
        id: &str,
    ) -> Result<String, ConnectorError> {
        self.resolve("group", settings, id, &settings.group_filter)
            .await
    }

    async fn resolve(
        &mut self,
        what: &str,
        settings: &LdapSettings,
        id: &str,
        filter: &str,
    ) -> Result<String, ConnectorError> {
        if settings.is_active_directory() {
            let guid = crate::ad::parse_guid(id).ok_or_else(|| {
                ConnectorError::not_found(format!(
                    "No {what} with this id: an Active Directory id is an objectGUID \
                     (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"
                ))
            })?;
            let entry = self
                .require(
                    what,
                    &format!("<GUID={guid}>"),
                    filter,
                    vec!["1.1".to_owned()],
                )
                .await?;
            return Ok(entry.dn);
        }
        self.require_entry(what, id, filter).await?;
        Ok(id.to_owned())
    }

    /// Reads the account `id` names, with `attributes`: its DN under the user base (on Active
    /// Directory its objectGUID), matching the user filter. `not_found` for anything else, an
    /// id that is no DN at all included: an id is only ever a search base, never part of a
    /// filter.
    pub(crate) async fn account(
        &mut self,
        settings: &LdapSettings,
        id: &str,
        attributes: Vec<String>,
    ) -> Result<SearchEntry, ConnectorError> {
        let missing = || ConnectorError::not_found(format!("No account with the id {id:?}"));
        let base = if settings.is_active_directory() {
            let guid = crate::ad::parse_guid(id).ok_or_else(|| {
                ConnectorError::not_found(format!(
                    "No account with the id {id:?}: an Active Directory id is an objectGUID \
                     (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"
                ))
            })?;
            format!("<GUID={guid}>")
        } else {
            if id.trim().is_empty() || !crate::dn::is_under(id, settings.user_base()) {
                return Err(missing());
            }
            id.to_owned()
        };
        match self.read(&base, &settings.user_filter, attributes).await {
            Ok(Some(entry)) if crate::dn::is_under(&entry.dn, settings.user_base()) => Ok(entry),
            Ok(_) => Err(missing()),
            Err(error) if error.app_error_code() == Some(INVALID_DN_SYNTAX) => Err(missing()),
            Err(error) => Err(error),
        }
    }

    /// Adds an entry.
    pub(crate) async fn add(
        &mut self,
        dn: &str,
        attributes: Vec<(String, HashSet<String>)>,
    ) -> Result<(), ConnectorError> {
        let result = self
            .ldap
            .with_timeout(self.timeout)
            .add(dn, attributes)
            .await
            .map_err(|e| error::from_ldap("add", e, false))?;
        error::check("add", result).map(drop)
    }

    /// Deletes an entry.
    pub(crate) async fn delete(&mut self, dn: &str) -> Result<(), ConnectorError> {
        let result = self
            .ldap
            .with_timeout(self.timeout)
            .delete(dn)
            .await
            .map_err(|e| error::from_ldap("delete", e, false))?;
        error::check("delete", result).map(drop)
    }

    /// Modifies an entry; returns the LDAP result code, so callers can treat
    /// `attributeOrValueExists` and `noSuchAttribute` as the success they mean.
    pub(crate) async fn modify(
        &mut self,
        dn: &str,
        mods: Vec<Mod<String>>,
        tolerated: &[u32],
    ) -> Result<u32, ConnectorError> {
        let result = self
            .ldap
            .with_timeout(self.timeout)
            .modify(dn, mods)
            .await
            .map_err(|e| error::from_ldap("modify", e, false))?;
        if result.rc == rc::SUCCESS || tolerated.contains(&result.rc) {
            Ok(result.rc)
        } else {
            Err(error::from_result("modify", &result))
        }
    }

    /// Reads attributes of the root DSE (`namingContexts`, `subschemaSubentry`, …).
    pub(crate) async fn root_dse(
        &mut self,
        attributes: &[&str],
    ) -> Result<HashMap<String, Vec<String>>, ConnectorError> {
        let entry = self
            .read(
                "",
                "(objectClass=*)",
                attributes.iter().map(|a| (*a).to_owned()).collect(),
            )
            .await?
            .ok_or_else(|| ConnectorError::invalid_response("The server has no root DSE"))?;
        Ok(entry.attrs)
    }

    /// A handle for one more concurrent operation on the same connection.
    pub(crate) fn fork(&self) -> Self {
        Self {
            ldap: self.ldap.clone(),
            timeout: self.timeout,
        }
    }

    /// Unbinds (best effort: the process ends right after anyway).
    pub(crate) async fn close(mut self) {
        let _ = self.ldap.unbind().await;
    }
}

/// The host and port `settings.server_url` names (ldap3's defaults: `localhost`, 389 for
/// `ldap://`, 636 for `ldaps://`).
fn server_address(url: &str) -> Result<(String, u16), ConnectorError> {
    let parsed = url::Url::parse(url).map_err(|e| {
        ConnectorError::invalid_value(format!("settings.server_url is not a URL: {e}"))
    })?;
    let host = match parsed.host() {
        Some(url::Host::Domain(name)) if !name.is_empty() => name.to_owned(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        _ => "localhost".to_owned(),
    };
    let default_port = if parsed.scheme() == "ldaps" { 636 } else { 389 };
    Ok((host, parsed.port().unwrap_or(default_port)))
}

/// The TLS configuration: the system's roots, plus `settings.ca_bundle` and the file named by
/// `CONNECTOR_CA_BUNDLE`.
fn tls_config(settings: &LdapSettings) -> Result<Arc<rustls::ClientConfig>, ConnectorError> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(pem) = settings
        .ca_bundle
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                ConnectorError::invalid_value(format!("settings.ca_bundle is not PEM: {e}"))
            })?;
        add_all(&mut roots, certificates, "settings.ca_bundle")?;
    }
    if let Some(path) = std::env::var_os(CA_BUNDLE_ENV) {
        let certificates = CertificateDer::pem_file_iter(&path)
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(|e| {
                ConnectorError::invalid_value(format!(
                    "{CA_BUNDLE_ENV} ({}) is not a readable PEM file: {e}",
                    std::path::Path::new(&path).display()
                ))
            })?;
        add_all(&mut roots, certificates, CA_BUNDLE_ENV)?;
    }
    if roots.is_empty() {
        return Err(ConnectorError::invalid_value(
            "No trusted CA certificate: the system has none; give settings.ca_bundle",
        ));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConnectorError::internal_error(format!("TLS configuration: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn add_all(
    roots: &mut rustls::RootCertStore,
    certificates: Vec<CertificateDer<'static>>,
    origin: &str,
) -> Result<(), ConnectorError> {
    if certificates.is_empty() {
        return Err(ConnectorError::invalid_value(format!(
            "{origin} holds no PEM certificate"
        )));
    }
    for certificate in certificates {
        roots.add(certificate).map_err(|e| {
            ConnectorError::invalid_value(format!("{origin} holds an unusable certificate: {e}"))
        })?;
    }
    Ok(())
}

/// The values of an attribute, matched case-insensitively (servers answer with the schema's
/// spelling, `givenName` for a request of `givenname`).
pub(crate) fn values<'a>(entry: &'a SearchEntry, attribute: &str) -> &'a [String] {
    entry
        .attrs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(attribute))
        .map_or(&[], |(_, values)| values.as_slice())
}

/// The first value of an attribute.
pub(crate) fn first<'a>(entry: &'a SearchEntry, attribute: &str) -> Option<&'a str> {
    values(entry, attribute).first().map(String::as_str)
}
