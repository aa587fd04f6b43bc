//! Building a connector's binary for a bundle: the target, static linking, and cargo's
//! artifacts.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, anyhow, bail};
use connector_sdk::Protocol;

use crate::workspace::{self, Package};

/// The build-time variable the SDK reads (`option_env!`) as a bundle's default protocol.
const BUNDLE_PROTOCOL: &str = "CONNECTOR_BUNDLE_PROTOCOL";

/// How the bundled `main` is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Linkage {
    /// Statically, so the bundle runs on any Linux of its architecture: glibc's static C
    /// runtime (`-C target-feature=+crt-static`, names resolved from `/etc/hosts` and
    /// `/etc/resolv.conf` by the SDK instead of glibc's NSS), or musl when a musl target is
    /// asked for. The default on Linux.
    #[default]
    Static,
    /// Against the build machine's C library, like a plain `cargo build`.
    Dynamic,
}

/// The flags of a static glibc build: the static C runtime, and `getrandom` through the
/// system call (the crate's default looks the libc function up with `dlsym`, which a static
/// binary cannot, and falls back to `/dev/urandom`, absent from a bare container).
const CRT_STATIC: [&str; 3] = [
    "-Ctarget-feature=+crt-static",
    "--cfg",
    "getrandom_backend=\"linux_getrandom\"",
];

/// A target triple, how `main` is linked for it, and why.
#[derive(Debug)]
pub(super) struct Target {
    pub(super) triple: String,
    /// Whether `--target` is passed. Always for static builds: then the extra rustflags apply
    /// to `main` and not to build scripts and proc macros. Not for a dynamic host build, whose
    /// artifacts are shared with plain `cargo build` and `cargo test`.
    explicit: bool,
    /// Whether `-C target-feature=+crt-static` is added to the rustflags.
    crt_static: bool,
    /// Whether the binary must come out statically linked (checked after the build).
    pub(super) linkage: Linkage,
    pub(super) note: String,
}

fn rustc_output(root: &Path, args: &[&str]) -> anyhow::Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(args)
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running `rustc {}`", args.join(" ")))?;
    if !output.status.success() {
        bail!("`rustc {}` failed ({})", args.join(" "), output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The triple of the toolchain's host.
pub(super) fn host_triple(root: &Path) -> anyhow::Result<String> {
    let version = rustc_output(root, &["-vV"])?;
    Ok(version
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .ok_or_else(|| anyhow!("`rustc -vV` names no host"))?
        .trim()
        .to_owned())
}

/// Whether the toolchain has the standard library of `triple`.
fn installed(root: &Path, triple: &str) -> anyhow::Result<bool> {
    let sysroot = rustc_output(root, &["--print", "sysroot"])?;
    Ok(Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(triple)
        .join("lib")
        .is_dir())
}

/// The target to build for: `asked`, else the host; linked as `linkage` asks where the
/// target allows it.
pub(super) fn target(root: &Path, asked: Option<&str>, linkage: Linkage) -> anyhow::Result<Target> {
    let host = host_triple(root)?;
    let triple = asked.map_or_else(|| host.clone(), str::to_owned);
    if asked.is_some() && triple != host && !installed(root, &triple)? {
        bail!(
            "the target {triple} is not installed for this toolchain (`rustup target add {triple}`)"
        );
    }
    Ok(match linkage {
        Linkage::Dynamic => Target {
            explicit: asked.is_some(),
            crt_static: false,
            linkage,
            note: "dynamically linked, as asked".to_owned(),
            triple,
        },
        Linkage::Static if triple.contains("-linux-gnu") => Target {
            explicit: true,
            crt_static: true,
            linkage,
            note: "statically linked (glibc's static runtime; names resolved without NSS)"
                .to_owned(),
            triple,
        },
        Linkage::Static if triple.contains("-linux-musl") => Target {
            explicit: true,
            crt_static: false,
            linkage,
            note: "statically linked (musl)".to_owned(),
            triple,
        },
        Linkage::Static => Target {
            explicit: asked.is_some(),
            crt_static: false,
            linkage: Linkage::Dynamic,
            note: format!(
                "dynamically linked: static bundles are built for Linux targets, not {triple}"
            ),
            triple,
        },
    })
}

/// The rustflags of the build (and of `cargo metadata`, whose `cfg(target_feature)`
/// dependencies depend on them): the caller's, plus `crt-static` when asked. Cargo reads
/// `CARGO_ENCODED_RUSTFLAGS` before `RUSTFLAGS`, so the flags join whichever is set.
pub(super) fn rustflags(command: &mut Command, target: &Target) {
    if !target.crt_static {
        return;
    }
    if let Ok(encoded) = std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        let flags = std::iter::once(encoded.as_str())
            .filter(|flags| !flags.is_empty())
            .chain(CRT_STATIC);
        command.env(
            "CARGO_ENCODED_RUSTFLAGS",
            flags.collect::<Vec<_>>().join("\x1f"),
        );
    } else {
        let flags = std::env::var("RUSTFLAGS").unwrap_or_default();
        let flags = std::iter::once(flags.as_str())
            .filter(|flags| !flags.trim().is_empty())
            .chain(CRT_STATIC);
        command.env("RUSTFLAGS", flags.collect::<Vec<_>>().join(" "));
    }
}

/// The ELF program header type of a dynamic loader's path.
const PT_INTERP: u32 = 3;

/// Whether an ELF executable names a dynamic loader (`PT_INTERP`): the kernel runs a binary
/// without one directly, so it cannot load any shared library. `None` when `bytes` is not a
/// 64-bit little-endian ELF file.
pub(super) fn has_interpreter(bytes: &[u8]) -> Option<bool> {
    let field = |at: usize, len: usize| bytes.get(at..at.checked_add(len)?);
    let u16_at = |at| field(at, 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |at| field(at, 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let u64_at = |at| {
        field(at, 8).map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
    };
    // Magic, 64-bit class, little-endian.
    if field(0, 6)? != b"\x7fELF\x02\x01" {
        return None;
    }
    let table = usize::try_from(u64_at(0x20)?).ok()?;
    let entry = usize::from(u16_at(0x36)?);
    let count = usize::from(u16_at(0x38)?);
    for index in 0..count {
        let at = table.checked_add(index.checked_mul(entry)?)?;
        if u32_at(at)? == PT_INTERP {
            return Some(true);
        }
    }
    Some(false)
}

/// Fails unless `executable` came out as `target` asked (statically linked).
pub(super) fn check_linkage(executable: &Path, target: &Target) -> anyhow::Result<()> {
    if target.linkage != Linkage::Static {
        return Ok(());
    }
    let bytes =
        std::fs::read(executable).with_context(|| format!("reading {}", executable.display()))?;
    match has_interpreter(&bytes) {
        Some(false) => Ok(()),
        Some(true) => bail!(
            "{} came out dynamically linked although a static build was asked for; a              `build.rustflags` or linker setting of the workspace may override `+crt-static`              (pass `--dynamic` to bundle it anyway)",
            executable.display()
        ),
        None => bail!("{} is not a 64-bit ELF executable", executable.display()),
    }
}

/// Builds the packages' binaries and returns their paths, in order. With a `protocol`, the
/// SDK is compiled with `CONNECTOR_BUNDLE_PROTOCOL` set to it (cargo rebuilds what read the
/// variable when it changes); without one the variable is removed, so the binary speaks its
/// integration's declared protocol whatever the caller's environment holds.
pub(super) fn build(
    root: &Path,
    packages: &[(&Package, String)],
    profile: &str,
    target: &Target,
    protocol: Option<Protocol>,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut command = workspace::cargo();
    command
        .current_dir(root)
        .args(["build", "--profile", profile]);
    match protocol {
        Some(protocol) => command.env(BUNDLE_PROTOCOL, protocol.as_str()),
        None => command.env_remove(BUNDLE_PROTOCOL),
    };
    if target.explicit {
        command.args(["--target", &target.triple]);
    }
    rustflags(&mut command, target);
    command
        .args(["--message-format", "json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"));
    for (package, binary) in packages {
        command.args(["-p", &package.name, "--bin", binary]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("running `cargo build`")?;
    let mut executables: Vec<Option<PathBuf>> = vec![None; packages.len()];
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.context("reading cargo's output")?;
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if message["reason"] != "compiler-artifact" {
                continue;
            }
            let Some(executable) = message["executable"].as_str() else {
                continue;
            };
            let name = message["target"]["name"].as_str().unwrap_or_default();
            let manifest = message["manifest_path"].as_str().unwrap_or_default();
            for (slot, (package, binary)) in executables.iter_mut().zip(packages) {
                if binary == name && Path::new(manifest) == package.manifest_path {
                    *slot = Some(PathBuf::from(executable));
                }
            }
        }
    }
    let status = child.wait().context("waiting for `cargo build`")?;
    if !status.success() {
        bail!("`cargo build` failed ({status})");
    }
    executables
        .into_iter()
        .zip(packages)
        .map(|(path, (package, binary))| {
            path.ok_or_else(|| {
                anyhow!(
                    "cargo built no binary `{binary}` for package `{}`",
                    package.name
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::has_interpreter;

    #[test]
    fn elf_interpreters_are_found_and_bad_input_is_no_elf() {
        // This test binary is a dynamically linked executable of the host.
        let own = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        if cfg!(all(target_os = "linux", not(target_feature = "crt-static"))) {
            assert_eq!(has_interpreter(&own), Some(true));
        }
        // A header that claims a program header table beyond the end, and truncations.
        let mut lying = own[..64].to_vec();
        lying[0x20..0x28].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(has_interpreter(&lying), None);
        for len in [0, 4, 6, 0x21, 0x39] {
            assert_eq!(has_interpreter(&own[..len]), None, "{len} bytes");
        }
        assert_eq!(has_interpreter(b"#!/bin/sh\necho hi\n"), None);
    }
}
