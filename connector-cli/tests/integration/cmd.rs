//! trycmd transcripts of `connector` (`tests/cmd/`): `--help`, `spec`, `scaffold` with its
//! expected tree (`scaffold.out/`), and the refusals.
//!
//! `TRYCMD=overwrite cargo test -p connector-cli --test integration cmd` rewrites them.

use crate::support::sdk_root;

#[test]
fn transcripts() {
    let cases = trycmd::TestCases::new();
    cases
        .register_bin(
            "connector",
            trycmd::schema::Bin::Path(env!("CARGO_BIN_EXE_connector").into()),
        )
        .case("tests/cmd/*.toml")
        .case("tests/cmd/*.md");
    cases
        .insert_var("[SDK]", sdk_root().to_string_lossy().into_owned())
        .expect("a valid variable");
}
