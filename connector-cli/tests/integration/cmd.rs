//! trycmd transcripts of `connector` (`tests/cmd/`): `--help`, `spec`, `scaffold` with its
//! expected tree (`scaffold.out/`), the refusals, and `package` beside the two
//! `compile-on-prem` forms (`cmp` compares their bundles).
//!
//! `TRYCMD=overwrite cargo test -p connector-cli --test integration cmd` rewrites them.

use crate::support::{sdk_root, target_dir};

#[test]
fn transcripts() {
    let cases = trycmd::TestCases::new();
    cases
        .register_bin(
            "connector",
            trycmd::schema::Bin::Path(env!("CARGO_BIN_EXE_connector").into()),
        )
        .register_bin("cmp", trycmd::schema::Bin::Path(on_path("cmp")))
        // Bundles build where the bundle tests build, so the build is done once.
        .env(
            "CARGO_TARGET_DIR",
            target_dir().to_string_lossy().into_owned(),
        )
        .case("tests/cmd/*.toml")
        .case("tests/cmd/*.md");
    cases
        .insert_var("[SDK]", sdk_root().to_string_lossy().into_owned())
        .expect("a valid variable");
}

/// Where `program` is on the `PATH` (`cmp` is in diffutils, essential on Debian).
fn on_path(program: &str) -> std::path::PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("`{program}` is needed by the transcripts and is not on PATH"))
}
