//! The framework's modules form layers: each uses only the ones before it. This reads every
//! source file and fails on a `crate::…` path (or a root re-export) that points forward.

use std::collections::BTreeMap;
use std::path::Path;

/// The layers, lowest first; modules of one layer must not use each other both ways.
const LAYERS: &[&[&str]] = &[
    &["wire", "table"],
    &["error", "redact"],
    &[
        "settings",
        "pagination",
        "observability",
        "blocking",
        "record",
        "net",
        "trace",
        "otlp",
    ],
    &["credential"],
    &["http"],
    &["context"],
    &["capability"],
    &["integration"],
    &["oauth", "arbitrary"],
    &["spec"],
    &["server"],
    &["cli"],
    &["prelude"],
];

/// Where each name the crate root re-exports comes from.
const ROOT_NAMES: &[(&str, &str)] = &[
    ("ConnectorError", "error"),
    ("Result", "error"),
    ("Context", "context"),
    ("Listing", "capability"),
    ("Integration", "integration"),
    ("IntegrationBuilder", "integration"),
    ("AuthKind", "integration"),
    ("Credential", "integration"),
    ("Envelope", "integration"),
    ("EmptySettings", "settings"),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The code of a file without comments and without its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`.
fn targets(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            for item in inner.split(',') {
                let name = item.trim().split("::").next().unwrap_or_default().trim();
                found.push(name.to_owned());
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
        .into_iter()
        .filter(|name| !name.is_empty() && name != "self")
        .map(|name| {
            ROOT_NAMES
                .iter()
                .find(|(root, _)| *root == name)
                .map_or(name.clone(), |(_, module)| (*module).to_owned())
        })
        .collect()
}

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_later_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut uses: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut forward = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let module = relative
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" {
            continue;
        }
        let own = layer_of(&module)
            .unwrap_or_else(|| panic!("{relative}: module `{module}` has no layer"));
        for target in targets(&code(&std::fs::read_to_string(file).unwrap())) {
            if target == module {
                continue;
            }
            let theirs = layer_of(&target)
                .unwrap_or_else(|| panic!("{relative} uses `crate::{target}`, which has no layer"));
            if theirs > own {
                forward.push(format!("{relative} ({module}) uses {target}"));
            }
            uses.entry(module.clone())
                .or_default()
                .insert(target, relative.clone());
        }
    }
    assert!(
        forward.is_empty(),
        "uses of later layers:\n{}",
        forward.join("\n")
    );
    for (module, targets) in &uses {
        for (target, file) in targets {
            if let Some(back) = uses.get(target).and_then(|t| t.get(module)) {
                panic!("{module} and {target} use each other ({file}, {back})");
            }
        }
    }
    assert!(files.len() > 40, "the walk found the sources");
}
