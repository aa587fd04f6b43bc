//! `connector package`: the on-prem bundle of mock-connector — static, reproducible, with its
//! licences and SBOM — unpacked and run in an empty root; the licence allow-list; and (with
//! `--oci`, packaged in the same run) the OCI image: reproducible, and run under podman
//! read-only as non-root.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use connector_testkit::EmptyRoot;
use serde_json::Value;

use crate::support::{connector, run_ok, sdk_root, target_dir};

/// Unpacks a `.tar.gz` into `dir` and returns the names of its entries.
fn unpack(archive: &Path, dir: &Path) -> Vec<String> {
    let file = std::fs::File::open(archive).expect("the archive exists");
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let names = tar
        .entries()
        .expect("a tar archive")
        .map(|entry| {
            let entry = entry.expect("an entry");
            entry.path().expect("a path").to_string_lossy().into_owned()
        })
        .collect();
    let file = std::fs::File::open(archive).expect("the archive exists");
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(dir)
        .expect("the archive unpacks");
    names
}

fn sha256_hex(path: &Path) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(std::fs::read(path).expect("readable"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// mock-connector's bundle, packaged once for every test of this file.
struct Packaged {
    _out: tempfile::TempDir,
    archive: PathBuf,
    /// The `.oci.tar` and `.k8s.yaml` of `--oci`.
    image: PathBuf,
    kube: PathBuf,
    stderr: String,
    unpacked: tempfile::TempDir,
    entries: Vec<String>,
}

fn package_mock_connector(out: &Path) -> Output {
    run_ok(
        connector()
            .args([
                "package",
                "-p",
                "mock-connector",
                "--profile",
                "dev",
                "--oci",
                "-o",
            ])
            .arg(out)
            .arg("--manifest-path")
            .arg(sdk_root().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target_dir()),
    )
}

/// Builds mock-connector with the `dev` profile (a static build for the host target of its
/// own, in the test's target folder); `just package` builds the `dist` profile.
fn packaged() -> &'static Packaged {
    static PACKAGED: OnceLock<Packaged> = OnceLock::new();
    PACKAGED.get_or_init(|| {
        let out = tempfile::tempdir().expect("a temp dir");
        let output = package_mock_connector(out.path());
        let stdout = String::from_utf8(output.stdout).expect("UTF-8");
        let paths: Vec<PathBuf> = stdout.lines().map(PathBuf::from).collect();
        let [archive, image, kube] = <[PathBuf; 3]>::try_from(paths)
            .unwrap_or_else(|_| panic!("the bundle, the image and the manifest: {stdout}"));
        let unpacked = tempfile::tempdir().expect("a temp dir");
        let entries = unpack(&archive, unpacked.path());
        Packaged {
            _out: out,
            archive,
            image,
            kube,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            unpacked,
            entries,
        }
    })
}

#[test]
fn the_bundle_runs_and_matches_its_metadata() {
    let packaged = packaged();
    let name = packaged.archive.file_name().unwrap().to_string_lossy();
    assert_eq!(
        name,
        format!("mock-connector-{}.tar.gz", env!("CARGO_PKG_VERSION"))
    );
    assert!(
        packaged.stderr.contains("Building mock-connector"),
        "{}",
        packaged.stderr
    );
    let checksum =
        std::fs::read_to_string(packaged.archive.with_file_name(format!("{name}.sha256")))
            .expect("the .sha256 file");
    assert_eq!(
        checksum,
        format!("{}  {name}\n", sha256_hex(&packaged.archive))
    );
    // Sorted entries.
    assert_eq!(
        packaged.entries,
        [
            "THIRD_PARTY_LICENSES.txt",
            "main",
            "metadata.toml",
            "sbom.cdx.json"
        ]
    );

    let dir = packaged.unpacked.path();
    let metadata: toml::Table = std::fs::read_to_string(dir.join("metadata.toml"))
        .expect("metadata.toml")
        .parse()
        .expect("TOML");
    let app_id = metadata["connector"]["app_id"].as_str().expect("app_id");
    let version = metadata["connector"]["version"].as_str().expect("version");
    let info = run_ok(Command::new("./main").arg("info").current_dir(dir));
    let info: Value = serde_json::from_slice(&info.stdout).expect("info is JSON");
    assert_eq!(
        format!("{}_on_prem", info["response"]["app_id"].as_str().unwrap()),
        app_id
    );
    assert_eq!(info["response"]["version"], version);
    assert_eq!(app_id, "mock-connector_on_prem");
    // mock-connector declares 3.7.8, and `package` was not asked for another.
    assert_eq!(metadata["connector"]["protocol"].as_str(), Some("3.7.8"));
    let build = &metadata["build"];
    assert_eq!(
        build["main_sha256"].as_str(),
        Some(sha256_hex(&dir.join("main")).as_str())
    );
    assert!(
        build["toolchain"].as_str().unwrap().starts_with("rustc 1."),
        "{build}"
    );
    // Dated and identified by the checkout's commit, although the target folder may be
    // anywhere.
    let git = |args: &[&str]| {
        let output = run_ok(Command::new("git").arg("-C").arg(sdk_root()).args(args));
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    assert_eq!(
        build["commit"].as_str(),
        Some(git(&["rev-parse", "HEAD"]).as_str())
    );
    let committed: u64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|epoch| epoch.trim().parse().ok())
        .unwrap_or_else(|| git(&["log", "-1", "--format=%ct"]).parse().unwrap());
    let file = std::fs::File::open(&packaged.archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in tar.entries().unwrap() {
        assert_eq!(entry.unwrap().header().mtime().unwrap(), committed);
    }
    assert_eq!(build["linkage"].as_str(), Some("static"), "{build}");
    assert_eq!(build["target"].as_str(), Some("x86_64-unknown-linux-gnu"));
}

#[test]
fn the_bundle_is_static_and_runs_in_an_empty_root() {
    let packaged = packaged();
    let main = packaged.unpacked.path().join("main");
    let file = Command::new("file").arg(&main).output();
    let file = match file {
        Ok(output) => String::from_utf8_lossy(&output.stdout).into_owned(),
        Err(e) => panic!("`file` is needed by this test (apt-get install file): {e}"),
    };
    // `static-pie linked` on current toolchains (a static, position-independent executable);
    // `statically linked` without PIE.
    assert!(
        file.contains("statically linked") || file.contains("static-pie linked"),
        "{file}"
    );
    assert!(!file.contains("dynamically linked"), "{file}");

    // The empty root: the binary and an /etc/hosts, nothing else (no libc, no NSS modules, no
    // /etc/resolv.conf, no /dev).
    let root = EmptyRoot::new(&main, "127.0.0.1 localhost mock-app.test\n").expect("the root");
    let info = root.run(&["info"]);
    assert!(info.status.success(), "{info:?}");
    let info: Value = serde_json::from_slice(&info.stdout).expect("info is JSON");
    assert_eq!(info["response"]["app_id"], "mock-connector");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(7)))
        .unwrap();
    let port = app.url().rsplit(':').next().unwrap().to_owned();
    // `localhost`, and a name only /etc/hosts knows.
    for host in ["localhost", "mock-app.test"] {
        let request = serde_json::json!({
            "auth": {"basic": {"username": "foo", "password": "bar"}},
            "settings": {"host": format!("http://{host}:{port}")},
            "request": {},
            "page": {"size": 5},
        });
        let listed = root.run(&["list_accounts", "--json", &request.to_string()]);
        assert!(listed.status.success(), "{listed:?}");
        let envelope: Value = serde_json::from_slice(&listed.stdout).expect("JSON");
        assert!(
            envelope.get("is_error").is_none(),
            "{host}: {envelope:#}\n{}",
            String::from_utf8_lossy(&listed.stderr)
        );
        assert_eq!(
            envelope["response"].as_array().map(Vec::len),
            Some(5),
            "{envelope:#}"
        );
        assert!(envelope["page"]["token"].is_string(), "{envelope:#}");
    }
    // A name nothing knows, with no resolv.conf: a clean connection error naming the host (no
    // panic, no query to a resolver the machine did not configure).
    let request = serde_json::json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "settings": {"host": format!("http://nowhere.invalid:{port}")},
        "request": {},
    });
    let failed = root.run(&["list_accounts", "--json", &request.to_string()]);
    let envelope: Value = serde_json::from_slice(&failed.stdout).expect("JSON");
    assert_eq!(envelope["is_error"], true, "{envelope:#}");
    assert_eq!(
        envelope["error"]["error_code"],
        "connection_rejected",
        "{envelope:#}\n{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(message.contains("nowhere.invalid"), "{message}");
}

#[test]
fn the_bundle_declares_its_licences_and_components() {
    use cyclonedx_bom::prelude::*;

    let packaged = packaged();
    assert!(
        packaged.stderr.contains("Licences of") && packaged.stderr.contains("deny.toml"),
        "{}",
        packaged.stderr
    );
    let dir = packaged.unpacked.path();
    let notices = std::fs::read_to_string(dir.join("THIRD_PARTY_LICENSES.txt")).unwrap();
    for line in [
        "\ntokio 1.",
        "\nserde 1.",
        "\nreqwest 0.13.",
        "\nrustls 0.23.",
        // Linked only into static builds (names resolved without NSS).
        "\nhickory-resolver 0.26.",
        "\nconnector-sdk 0.1.0: Apache-2.0",
    ] {
        assert!(
            notices.contains(line),
            "no `{}` in:\n{}",
            line.trim(),
            &notices[..2000]
        );
    }
    let tokio_line = notices.lines().find(|l| l.starts_with("tokio 1.")).unwrap();
    assert!(tokio_line.ends_with(": MIT"), "{tokio_line}");
    // Licence texts are there, once per distinct text.
    assert!(notices.contains("Permission is hereby granted, free of charge"));
    assert!(notices.contains("Apache License"));
    assert_eq!(
        notices
            .matches("MIT License\n\nCopyright (c) Tokio Contributors")
            .count(),
        1
    );
    // Not linked into main: proc macros, build and dev dependencies.
    for absent in ["\nserde_derive ", "\nwiremock ", "\nrstest ", "\nmock-app "] {
        assert!(!notices.contains(absent), "{}", absent.trim());
    }

    let text = std::fs::read(dir.join("sbom.cdx.json")).unwrap();
    let bom = Bom::parse_from_json(text.as_slice()).expect("a CycloneDX document");
    assert!(bom.validate().passed(), "{:?}", bom.validate());
    let json: Value = serde_json::from_slice(&text).unwrap();
    assert_eq!(json["bomFormat"], "CycloneDX");
    assert_eq!(json["specVersion"], "1.5");
    let subject = &json["metadata"]["component"];
    assert_eq!(subject["name"], "mock-connector");
    assert_eq!(
        subject["hashes"][0]["content"],
        sha256_hex(&dir.join("main"))
    );
    let components = json["components"].as_array().unwrap();
    let find = |name: &str| {
        components
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in the SBOM"))
    };
    for (name, license) in [("tokio", "MIT"), ("serde", "MIT OR Apache-2.0")] {
        let component = find(name);
        assert_eq!(
            component["licenses"][0]["expression"], license,
            "{component:#}"
        );
        assert!(
            component["purl"]
                .as_str()
                .unwrap()
                .starts_with(&format!("pkg:cargo/{name}@")),
            "{component:#}"
        );
        assert_eq!(component["hashes"][0]["alg"], "SHA-256", "{component:#}");
    }
    // Every crate in the licences file is a component, and the graph names only components.
    let listed = notices
        .lines()
        .skip_while(|l| !l.starts_with("`main` links"))
        .skip(3)
        .take_while(|l| !l.is_empty() && !l.starts_with('='))
        .filter(|l| !l.starts_with(' '))
        .count();
    assert_eq!(listed, components.len());
    let refs: std::collections::HashSet<&str> = components
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .chain([subject["bom-ref"].as_str().unwrap()])
        .collect();
    for dependency in json["dependencies"].as_array().unwrap() {
        for target in dependency["dependsOn"].as_array().into_iter().flatten() {
            assert!(refs.contains(target.as_str().unwrap()), "{target}");
        }
    }
}

#[test]
fn two_package_runs_of_one_commit_give_the_same_bytes() {
    let packaged = packaged();
    // Even when the binary on disk is newer (a rebuild, a fresh checkout).
    let built = target_dir()
        .join("x86_64-unknown-linux-gnu")
        .join("debug")
        .join("mock-connector");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&built)
        .and_then(|file| file.set_modified(later))
        .expect("the built binary");
    let again = tempfile::tempdir().expect("a temp dir");
    package_mock_connector(again.path());
    let name = packaged.archive.file_name().unwrap();
    let first = std::fs::read(&packaged.archive).unwrap();
    let second = std::fs::read(again.path().join(name)).unwrap();
    assert!(first == second, "two package runs gave different archives");
    let image = packaged.image.file_name().unwrap();
    let (first, second) = (
        image_digest(&packaged.image),
        image_digest(&again.path().join(image)),
    );
    assert!(first.starts_with("sha256:"), "{first}");
    assert_eq!(
        first, second,
        "two package runs gave different image digests"
    );
    let first = std::fs::read(&packaged.image).unwrap();
    let second = std::fs::read(again.path().join(image)).unwrap();
    assert!(
        first == second,
        "two package runs gave different image archives"
    );
}

/// The files of an OCI image archive (an image layout in a tar), by path.
fn oci_files(archive: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(archive).expect("the image archive");
    let mut tar = tar::Archive::new(file);
    tar.entries()
        .expect("a tar")
        .map(|entry| {
            let mut entry = entry.expect("an entry");
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            (path, bytes)
        })
        .collect()
}

fn json_blob(files: &std::collections::BTreeMap<String, Vec<u8>>, digest: &str) -> Value {
    let path = format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"));
    serde_json::from_slice(files.get(&path).unwrap_or_else(|| panic!("no {path}"))).unwrap()
}

/// The image digest: the digest of the manifest `index.json` names.
fn image_digest(archive: &Path) -> String {
    let files = oci_files(archive);
    let index: Value = serde_json::from_slice(&files["index.json"]).unwrap();
    index["manifests"][0]["digest"].as_str().unwrap().to_owned()
}

#[test]
fn the_image_holds_main_its_licences_and_certificates_and_runs_as_non_root() {
    let packaged = packaged();
    assert_eq!(
        packaged.image.file_name().unwrap().to_string_lossy(),
        format!("mock-connector-{}.oci.tar", env!("CARGO_PKG_VERSION"))
    );
    let files = oci_files(&packaged.image);
    assert_eq!(
        std::str::from_utf8(&files["oci-layout"]).unwrap(),
        r#"{"imageLayoutVersion":"1.0.0"}"#
    );
    let index: Value = serde_json::from_slice(&files["index.json"]).unwrap();
    let manifest_descriptor = &index["manifests"][0];
    assert_eq!(
        manifest_descriptor["annotations"]["org.opencontainers.image.ref.name"],
        format!("localhost/mock-connector:{}", env!("CARGO_PKG_VERSION"))
    );
    let manifest = json_blob(&files, manifest_descriptor["digest"].as_str().unwrap());
    let config = json_blob(&files, manifest["config"]["digest"].as_str().unwrap());
    assert_eq!(config["os"], "linux");
    assert_eq!(config["architecture"], "amd64");
    let run = &config["config"];
    assert_eq!(run["User"], "65532:65532");
    assert_eq!(
        run["Entrypoint"],
        serde_json::json!(["/connector/main", "serve"])
    );
    assert_eq!(
        run["Cmd"],
        serde_json::json!(["--host", "0.0.0.0", "--port", "8000"])
    );
    let labels = &run["Labels"];
    assert_eq!(
        labels["org.opencontainers.image.version"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(labels["org.opencontainers.image.licenses"], "Apache-2.0");
    assert_eq!(labels["org.opencontainers.image.title"], "mock-connector");
    assert_eq!(
        labels["org.opencontainers.image.revision"]
            .as_str()
            .map(str::len),
        Some(40),
        "{labels}"
    );
    // The layer: main is the bundle's main; the SBOM, licences and CA certificates are there.
    let layer = &manifest["layers"][0];
    assert_eq!(
        layer["mediaType"],
        "application/vnd.oci.image.layer.v1.tar+gzip"
    );
    let blob = &files[&format!(
        "blobs/sha256/{}",
        layer["digest"]
            .as_str()
            .unwrap()
            .trim_start_matches("sha256:")
    )];
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(blob.as_slice()));
    let mut layer_files = std::collections::BTreeMap::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        assert_eq!(entry.header().uid().unwrap(), 0, "{path}");
        layer_files.insert(path, (entry.header().mode().unwrap(), bytes));
    }
    let bundled = |name: &str| std::fs::read(packaged.unpacked.path().join(name)).unwrap();
    for name in [
        "main",
        "THIRD_PARTY_LICENSES.txt",
        "sbom.cdx.json",
        "metadata.toml",
    ] {
        let (_, bytes) = &layer_files[&format!("connector/{name}")];
        assert!(
            *bytes == bundled(name),
            "connector/{name} differs from the bundle's"
        );
    }
    assert_eq!(layer_files["connector/main"].0 & 0o777, 0o555);
    assert!(
        !layer_files["etc/ssl/certs/ca-certificates.crt"]
            .1
            .is_empty()
    );
    let passwd = String::from_utf8(layer_files["etc/passwd"].1.clone()).unwrap();
    assert!(passwd.contains("connector:x:65532:65532:"), "{passwd}");

    let kube = std::fs::read_to_string(&packaged.kube).unwrap();
    for needle in [
        "kind: Deployment",
        "kind: Service",
        "runAsNonRoot: true",
        "readOnlyRootFilesystem: true",
        "path: /healthz",
        "path: /readyz",
        "secretKeyRef:",
    ] {
        assert!(kube.contains(needle), "{needle} missing from\n{kube}");
    }
}

/// Runs podman with the settings these machines need: the `runc` runtime, cgroupfs, and
/// ulimits below the machine's hard limits (Debian's default `crun` refuses the hybrid cgroup
/// layout).
fn podman(config: &Path, args: &[&str]) -> Output {
    let output = podman_command(config)
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "podman is not installed ({error}); run mock-connector/scripts/ensure-podman.sh \
                 (Debian packages podman, runc, catatonit, iptables)"
            )
        });
    assert!(
        output.status.success(),
        "podman {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `podman` with those settings, to run as the caller needs (a clean-up that may fail, a
/// command to wait on).
fn podman_command(config: &Path) -> Command {
    let mut command = Command::new("podman");
    command
        .args(["--runtime", "runc", "--cgroup-manager", "cgroupfs"])
        .env("CONTAINERS_CONF", config);
    command
}

/// One HTTP/1.1 exchange with 127.0.0.1:`port` (`Connection: close`): the status and body, or
/// `None` when nothing answers.
fn http(port: u16, request_line: &str, headers: &str, body: &str) -> Option<(u16, String)> {
    http_at([127, 0, 0, 1].into(), port, request_line, headers, body)
}

/// [`http`] with `address`:`port`.
fn http_at(
    address: std::net::IpAddr,
    port: u16,
    request_line: &str,
    headers: &str,
    body: &str,
) -> Option<(u16, String)> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect_timeout(
        &(address, port).into(),
        std::time::Duration::from_secs(5),
    )
    .ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "{request_line} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n{headers}\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let (_, body) = answer.split_once("\r\n\r\n")?;
    Some((status, body.to_owned()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn podman_runs_the_image_read_only_as_non_root_and_kube_plays_its_manifest() {
    let packaged = packaged();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("containers.conf");
    std::fs::write(
        &config,
        "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n\
         [engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n",
    )
    .unwrap();
    let loaded = podman(&config, &["load", "-i", packaged.image.to_str().unwrap()]);
    let reference = format!("localhost/mock-connector:{}", env!("CARGO_PKG_VERSION"));
    let said = String::from_utf8_lossy(&loaded.stdout);
    assert!(said.contains(&reference), "{said}");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(12)))
        .unwrap();
    let port = free_port().to_string();
    let token = "podman-test-token";
    let name = format!("connector-test-{}", std::process::id());
    let started = podman(
        &config,
        &[
            "run",
            "-d",
            "--rm",
            "--name",
            &name,
            "--read-only",
            "--cap-drop=all",
            "--security-opt=no-new-privileges",
            "--network",
            "host",
            "-e",
            &format!("CONNECTOR_SERVE_TOKEN={token}"),
            &reference,
            "--host",
            "127.0.0.1",
            "--port",
            &port,
        ],
    );
    assert!(!started.stdout.is_empty());
    struct Stop<'a>(&'a Path, &'a str);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            let _ = podman_command(self.0)
                .args(["rm", "-f", "-t", "5", self.1])
                .output();
        }
    }
    let _stop = Stop(&config, &name);

    let port: u16 = port.parse().unwrap();
    let mut healthz = None;
    for _ in 0..50 {
        healthz = http(port, "GET /healthz", "", "");
        if healthz.as_ref().is_some_and(|(status, _)| *status == 200) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(healthz.map(|(status, _)| status), Some(200));
    assert_eq!(http(port, "GET /info", "", "").map(|(s, _)| s), Some(401));

    let request = serde_json::json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": {"host": app.url()},
        "page": {"size": 5},
    })
    .to_string();
    let authorization = format!("authorization: Bearer {token}\r\n");
    let (status, body) =
        http(port, "POST /list_accounts", &authorization, &request).expect("an answer");
    assert_eq!(status, 200, "{body}");
    let envelope: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{body}"));
    assert_eq!(
        envelope["response"].as_array().map(Vec::len),
        Some(5),
        "{envelope}"
    );

    // Non-root, on a read-only root.
    let pid = podman(&config, &["inspect", "--format", "{{.State.Pid}}", &name]);
    let pid = String::from_utf8_lossy(&pid.stdout).trim().to_owned();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let uid = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    assert!(
        uid.split_whitespace().skip(1).all(|id| id == "65532"),
        "{uid}"
    );
    let read_only = podman(
        &config,
        &[
            "inspect",
            "--format",
            "{{.HostConfig.ReadonlyRootfs}}",
            &name,
        ],
    );
    assert_eq!(String::from_utf8_lossy(&read_only.stdout).trim(), "true");
    // SIGTERM ends it gracefully.
    podman(&config, &["stop", "-t", "10", &name]);
    drop(app);

    kube_play_runs_the_manifest(packaged, &config);
}

/// `podman kube play` of the manifest `package --oci` wrote, with the token in a Secret: the
/// pod answers through its published port, takes SIGTERM as a graceful stop, and `podman kube
/// down` removes it. The image is loaded already.
fn kube_play_runs_the_manifest(packaged: &Packaged, config: &Path) {
    let manifest = std::fs::read_to_string(&packaged.kube).unwrap();
    // On one host every replica would publish the same port: one replica here.
    assert!(manifest.contains("replicas: 2\n"), "{manifest}");
    let dir = tempfile::tempdir().unwrap();
    let kube = dir.path().join("mock-connector.k8s.yaml");
    std::fs::write(&kube, manifest.replace("replicas: 2\n", "replicas: 1\n")).unwrap();
    let kube = kube.to_str().unwrap();

    // The Secret the manifest names, as podman's secret store keeps one for `secretKeyRef`:
    // a JSON map of base64 values ("a3ViZS10ZXN0LXRva2Vu" is "kube-test-token").
    let secret = "mock-connector-serve-token";
    assert!(manifest.contains(&format!("name: {secret}")), "{manifest}");
    let token = "kube-test-token";
    let secret_file = dir.path().join("secret.json");
    std::fs::write(&secret_file, r#"{"token":"a3ViZS10ZXN0LXRva2Vu"}"#).unwrap();
    let quiet = |args: &[&str]| {
        let _ = podman_command(config).args(args).output();
    };
    // What an earlier, interrupted run may have left.
    quiet(&["kube", "down", kube]);
    quiet(&["secret", "rm", secret]);
    podman(
        config,
        &["secret", "create", secret, secret_file.to_str().unwrap()],
    );
    struct Down<'a>(&'a dyn Fn(&[&str]), &'a str, &'a str);
    impl Drop for Down<'_> {
        fn drop(&mut self) {
            (self.0)(&["kube", "down", self.1]);
            (self.0)(&["secret", "rm", self.2]);
        }
    }
    let _down = Down(&quiet, kube, secret);

    // Debian's podman (4.3) publishes each containerPort on the same host port; later ones
    // take `--publish`.
    let help = podman(config, &["kube", "play", "--help"]);
    let port = if String::from_utf8_lossy(&help.stdout).contains("--publish") {
        let port = free_port();
        podman(
            config,
            &["kube", "play", "--publish", &format!("{port}:8000"), kube],
        );
        port
    } else {
        assert!(
            std::net::TcpListener::bind("0.0.0.0:8000").is_ok(),
            "port 8000 is taken: podman {} publishes the pod's port 8000 on the host's",
            String::from_utf8_lossy(&podman(config, &["--version"]).stdout).trim()
        );
        podman(config, &["kube", "play", kube]);
        8000
    };
    // The published port, reached on the kube network's gateway: a local address of this
    // host that podman's port forwarding serves (loopback is not forwarded).
    let gateway = podman(
        config,
        &[
            "network",
            "inspect",
            "podman-default-kube-network",
            "--format",
            "{{range .Subnets}}{{.Gateway}}{{end}}",
        ],
    );
    let gateway = String::from_utf8_lossy(&gateway.stdout).trim().to_owned();
    let gateway: std::net::IpAddr = gateway
        .parse()
        .unwrap_or_else(|_| panic!("the kube network's gateway: {gateway:?}"));
    let ask = |request_line: &str, headers: &str, body: &str| {
        http_at(gateway, port, request_line, headers, body)
    };
    let mut healthz = None;
    for _ in 0..100 {
        healthz = ask("GET /healthz", "", "");
        if healthz.as_ref().is_some_and(|(status, _)| *status == 200) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(healthz.map(|(status, _)| status), Some(200));
    assert_eq!(ask("GET /info", "", "").map(|(s, _)| s), Some(401));
    // The token from the Secret opens the capabilities (a basic credential the mock
    // connector checks without its app).
    let request = r#"{"auth":{"basic":{"username":"foo","password":"bar"}},"request":{},"settings":{"host":"http://127.0.0.1:1"}}"#;
    let (status, body) = ask(
        "POST /validate_credentials",
        &format!("authorization: Bearer {token}\r\n"),
        request,
    )
    .expect("an answer");
    assert_eq!(status, 200, "{body}");
    let envelope: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{body}"));
    assert_eq!(envelope["response"]["valid"], true, "{envelope}");

    // SIGTERM with the pod's grace, as the kubelet stops a pod, ends serve by itself: exit 0.
    // (Debian's podman 4.3 `kube down` stops with no grace at all, SIGKILL: exit 137.)
    let pods = podman(config, &["pod", "ps", "--format", "{{.Name}}"]);
    let pod = String::from_utf8_lossy(&pods.stdout)
        .lines()
        .find(|name| name.starts_with("mock-connector-pod"))
        .unwrap_or_else(|| panic!("no mock-connector pod"))
        .to_owned();
    let containers = podman(
        config,
        &[
            "ps",
            "-a",
            "--filter",
            &format!("pod={pod}"),
            "--format",
            "{{.Names}}",
        ],
    );
    let container = String::from_utf8_lossy(&containers.stdout)
        .lines()
        .find(|name| name.ends_with("-connector"))
        .unwrap_or_else(|| panic!("no connector container in {pod}"))
        .to_owned();
    let waiting = podman_command(config)
        .args(["wait", &container])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let stopping = std::time::Instant::now();
    podman(config, &["pod", "stop", "-t", "35", &pod]);
    let stopped_in = stopping.elapsed();
    let exit = waiting.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&exit.stdout).trim(),
        "0",
        "the connector did not stop by itself on SIGTERM"
    );
    assert!(
        stopped_in < std::time::Duration::from_secs(10),
        "{stopped_in:?}"
    );
    podman(config, &["kube", "down", kube]);
    let left = podman(config, &["pod", "ps", "--format", "{{.Name}}"]);
    assert!(
        !String::from_utf8_lossy(&left.stdout).contains(&pod),
        "kube down left {pod}"
    );
}

/// The copyleft fixture in a temporary folder: a workspace (`workspace/`: the app and a helper
/// crate of its own, neither with a licence) whose app links a GPL-3.0 crate from outside it
/// (`gpl-dep/`), with the SDK's `deny.toml` (plus `extra`) as its allow-list. Its `main` reads
/// `CONNECTOR_BUNDLE_PROTOCOL` as the SDK does.
fn copyleft_workspace(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/copyleft");
    for file in [
        "workspace/Cargo.toml",
        "workspace/app/Cargo.toml",
        "workspace/app/src/main.rs",
        "workspace/helper/Cargo.toml",
        "workspace/helper/src/lib.rs",
        "gpl-dep/Cargo.toml",
        "gpl-dep/src/lib.rs",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(file), to).unwrap();
    }
    let deny = std::fs::read_to_string(sdk_root().join("deny.toml")).unwrap();
    std::fs::write(
        dir.path().join("workspace/deny.toml"),
        format!("{deny}\n{extra}"),
    )
    .unwrap();
    dir
}

/// The exception that lets the fixture's GPL crate through.
const GPL_EXCEPTION: &str =
    "[[licenses.exceptions]]\ncrate = \"gpl-dep\"\nallow = [\"GPL-3.0-only\"]\n";

/// `connector <args…>` on the fixture, bundles into `dist/`, building in its own target folder.
fn connector_on_fixture(dir: &Path, args: &[&str]) -> Output {
    connector()
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("runs")
}

fn package_copyleft(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["package", "-p", "app", "-o", "dist"];
    args.extend(extra);
    args.extend(["--manifest-path", "workspace/Cargo.toml"]);
    connector_on_fixture(dir, &args)
}

/// The archive a successful `connector package` run in `dir` printed, unpacked.
fn unpacked(dir: &Path, output: &Output) -> tempfile::TempDir {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "one archive path: {stdout}");
    let unpacked = tempfile::tempdir().unwrap();
    unpack(&dir.join(stdout.trim_end()), unpacked.path());
    unpacked
}

fn metadata_of(unpacked: &Path) -> toml::Table {
    std::fs::read_to_string(unpacked.join("metadata.toml"))
        .expect("metadata.toml")
        .parse()
        .expect("TOML")
}

#[test]
fn a_licence_outside_the_allow_list_fails_the_package_before_the_build() {
    let dir = copyleft_workspace("");
    let output = package_copyleft(dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // Only the third-party crate is refused: the app and its helper are the workspace's own.
    assert!(
        stderr.contains("1 of 3 crates in `app` have a licence outside the allow-list of"),
        "{stderr}"
    );
    assert!(stderr.contains("deny.toml"), "{stderr}");
    assert!(stderr.contains("gpl-dep 0.1.0: `GPL-3.0-only`"), "{stderr}");
    assert!(!stderr.contains("helper"), "{stderr}");
    assert!(!stderr.contains("Compiling"), "it built first: {stderr}");
    assert!(output.stdout.is_empty());
    assert!(!dir.path().join("dist").exists());
}

#[test]
fn an_exception_for_the_crate_lets_it_through_and_own_crates_are_listed_unjudged() {
    let dir = copyleft_workspace(GPL_EXCEPTION);
    let output = package_copyleft(dir.path(), &[]);
    let unpacked = unpacked(dir.path(), &output);
    let notices =
        std::fs::read_to_string(unpacked.path().join("THIRD_PARTY_LICENSES.txt")).unwrap();
    assert!(notices.contains("gpl-dep 0.1.0: GPL-3.0-only"), "{notices}");
    // The crate ships no licence file: the SPDX list's text stands in.
    assert!(notices.contains("GNU GENERAL PUBLIC LICENSE"), "{notices}");
    assert!(
        notices.contains("the crate ships no licence file"),
        "{notices}"
    );
    // The workspace's own crates have no licence, and are still in the bill of materials.
    let sbom: Value =
        serde_json::from_slice(&std::fs::read(unpacked.path().join("sbom.cdx.json")).unwrap())
            .unwrap();
    assert_eq!(sbom["metadata"]["component"]["name"], "app");
    assert!(sbom["metadata"]["component"].get("licenses").is_none());
    let names: Vec<&str> = sbom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["gpl-dep", "helper"]);
    // Without --protocol, the protocol the binary speaks by itself.
    assert_eq!(
        metadata_of(unpacked.path())["connector"]["protocol"].as_str(),
        Some("3.7.8")
    );
}

#[test]
fn package_protocol_builds_main_for_it_and_records_it() {
    let dir = copyleft_workspace(GPL_EXCEPTION);
    let output = package_copyleft(dir.path(), &["--protocol", "4", "--dynamic"]);
    let unpacked = unpacked(dir.path(), &output);
    let metadata = metadata_of(unpacked.path());
    assert_eq!(metadata["connector"]["protocol"].as_str(), Some("4"));
    assert_eq!(
        metadata["connector"]["app_id"].as_str(),
        Some("copyleft-fixture_on_prem")
    );
    // `main` was compiled with CONNECTOR_BUNDLE_PROTOCOL=4: its errors carry error_metadata.
    let error = run_ok(
        Command::new("./main")
            .args(["validate_credentials", "--json", "{}"])
            .current_dir(unpacked.path()),
    );
    let envelope: Value = serde_json::from_slice(&error.stdout).expect("JSON");
    assert!(
        envelope["error"].get("error_metadata").is_some(),
        "{envelope}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("(protocol 4)"), "{stderr}");

    // A value outside the two versions is a usage error.
    let wrong = package_copyleft(dir.path(), &["--protocol", "5"]);
    assert_eq!(wrong.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("[possible values: 3.7.8, 4]"), "{stderr}");
}

#[test]
fn compile_on_prem_checks_the_module_and_the_app_id() {
    let dir = copyleft_workspace(GPL_EXCEPTION);
    // 3.7.8's form: MODULE names the package (`_` for `-`), PACKAGE_DIR holds it (or MODULE/).
    let output = connector_on_fixture(
        dir.path(),
        &[
            "compile-on-prem",
            "app",
            "workspace",
            "--dynamic",
            "-o",
            "dist",
        ],
    );
    let unpacked = unpacked(dir.path(), &output);
    assert_eq!(
        metadata_of(unpacked.path())["connector"]["app_id"].as_str(),
        Some("copyleft-fixture_on_prem")
    );
    let wrong_module = connector_on_fixture(
        dir.path(),
        &["compile-on-prem", "helper", "workspace/app", "--dynamic"],
    );
    assert_eq!(wrong_module.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&wrong_module.stderr);
    assert!(
        stderr.contains("workspace/app holds the package `app`, not `helper`"),
        "{stderr}"
    );
    // 4.x's form: the app id must be the connector's.
    let wrong_id = connector_on_fixture(
        dir.path(),
        &[
            "compile-on-prem",
            "--app-id",
            "copyleft",
            "--connector-root-module-dir",
            "workspace/app",
            "--dynamic",
            "--output-directory",
            "other",
        ],
    );
    assert_eq!(wrong_id.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&wrong_id.stderr);
    assert!(
        stderr.contains("--app-id copyleft: the connector built from package `app` reports the app id `copyleft-fixture`"),
        "{stderr}"
    );
    assert!(!dir.path().join("other").exists());
    // The two forms do not mix.
    let mixed = connector_on_fixture(
        dir.path(),
        &["compile-on-prem", "app", "workspace", "--app-id", "x"],
    );
    assert_eq!(mixed.status.code(), Some(2));
}

#[test]
fn packaging_outside_a_package_explains_itself() {
    let output = connector()
        .args(["package", "--manifest-path"])
        .arg(sdk_root().join("Cargo.toml"))
        .current_dir(std::env::temp_dir())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("pass `-p <package>` or `--all`"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
