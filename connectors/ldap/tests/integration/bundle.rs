//! The LDAP connector's on-prem bundle (`connector package`, static by default) in an empty
//! root: it reaches the real slapd through a name only the root's `/etc/hosts` knows, plain and
//! with StartTLS, so the socket the connector opens resolves without glibc's NSS.

use std::path::Path;

use connector_cli::package::{Linkage, PackageOptions, Selection};
use connector_testkit::EmptyRoot;
use serde_json::{Value, json};

use crate::support;

#[test]
fn the_static_bundle_binds_through_a_name_of_etc_hosts() {
    let server = support::server();
    let out = tempfile::tempdir().unwrap();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let bundles = connector_cli::package::package(&PackageOptions {
        selection: Selection::Packages(vec!["ldap-connector".to_owned()]),
        manifest_path: Some(workspace),
        output_dir: Some(out.path().to_owned()),
        // The test build's own dependencies, linked statically: a link, not a release build.
        profile: Some("dev".to_owned()),
        target: None,
        linkage: Linkage::Static,
        protocol: None,
        expect_app_id: None,
        oci: false,
    })
    .expect("ldap-connector packages");
    let unpacked = tempfile::tempdir().unwrap();
    let archive = std::fs::File::open(&bundles[0].archive).unwrap();
    tar::Archive::new(flate2::read::GzDecoder::new(archive))
        .unpack(unpacked.path())
        .unwrap();

    let root = EmptyRoot::new(
        &unpacked.path().join("main"),
        "127.0.0.1 localhost directory.test\n",
    )
    .unwrap();
    let port = server.url.rsplit(':').next().unwrap();
    // Plain through a name only /etc/hosts knows; StartTLS through `localhost`, the name the
    // test server's certificate carries (and no system certificate store in the root).
    for (host, start_tls) in [("directory.test", false), ("localhost", true)] {
        let request = json!({
            "auth": support::admin(),
            "settings": support::settings(json!({
                "server_url": format!("ldap://{host}:{port}"),
                "start_tls": start_tls,
                "ca_bundle": if start_tls { Value::from(server.ca_pem.clone()) } else { Value::Null },
            })),
            "request": {},
        });
        let output = root.run(&["validate_credentials", "--json", &request.to_string()]);
        let envelope: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
        assert_eq!(
            envelope["response"]["valid"],
            true,
            "{host}, start_tls {start_tls}: {envelope:#}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
