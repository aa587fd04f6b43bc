//! The LDAP connector's one integration-test binary: the compiled CLI against a real OpenLDAP
//! server that the first test starts (see `slapd.rs`) and the process's exit stops, a Samba AD
//! domain controller for the AD tests (`samba.rs`), and a 389 Directory Server instance for the
//! 389-ds tests (`ds389.rs`), each started through testkit's `ChildServer`.
//!
//! Needs `slapd`, `slapadd` and `openssl` installed (`connectors/ldap/scripts/ensure-slapd.sh`),
//! Samba (`ensure-samba-ad.sh`) and 389-ds-base (`ensure-389ds.sh`, and root); without them the
//! tests that need them fail with that instruction.

mod accounts;
mod activity;
mod ad;
mod bundle;
mod check;
mod cli;
mod conformance;
mod console;
mod dirsrv;
mod ds389;
mod errors;
mod groups;
mod lifecycle;
mod paging;
mod resources;
mod samba;
mod schema;
mod slapd;
mod support;
mod updates;
mod validate;
