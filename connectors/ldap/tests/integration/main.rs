//! The LDAP connector's one integration-test binary: the compiled CLI against a real OpenLDAP
//! server that the first test starts (see `slapd.rs`) and the process's exit stops.
//!
//! Needs `slapd`, `slapadd` and `openssl` installed (`connectors/ldap/scripts/ensure-slapd.sh`);
//! without them every test fails with that instruction.

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
