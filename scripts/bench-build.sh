#!/usr/bin/env bash
# How long a new author waits (`just bench-build`): on cold, empty target folders,
#   1. `cargo build -p mock-connector` in this workspace,
#   2. a fresh `connector scaffold` outside it → its `cargo test` green,
#   3. the same `cargo test` warm, after an edit of its src/lib.rs,
# each with the wall time and the five slowest compilation units of `cargo --timings`.
# Figures go to stdout; the timing reports stay in the printed folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${BENCH_BUILD_DIR:-$(mktemp -d /tmp/bench-build.XXXXXX)}
mkdir -p "$work"
echo "bench-build: $(nproc) cores, $(rustc -V), work folder $work"

# The five slowest units of the newest timing report under $1.
top5() {
    local report
    report=$(ls -t "$1"/cargo-timings/cargo-timing-*.html | head -1)
    python3 - "$report" <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
for unit in sorted(units, key=lambda u: -u["duration"])[:5]:
    target = unit["target"].strip() or " (lib)"
    print(f"    {unit['duration']:6.1f} s  {unit['name']} {unit['version']}{target}")
EOF
}

# Runs "$@" and prints its wall time in seconds.
timed() {
    local start end
    start=$(date +%s.%N)
    "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; exit 1; }
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.1f}')"
}

cargo build -q -p connector-cli --bin connector
connector="$root/target/debug/connector"

echo "1. cold cargo build -p mock-connector"
rm -rf "$work/target-mock"
secs=$(CARGO_TARGET_DIR="$work/target-mock" timed cargo build -p mock-connector --timings)
echo "   ${secs} s"
top5 "$work/target-mock"

echo "2. scaffold -> green cargo test (cold)"
rm -rf "$work/demo" "$work/target-demo"
"$connector" scaffold demo-connector "$work/demo" --sdk-path "$root" >/dev/null 2>&1
cd "$work/demo"
secs=$(CARGO_TARGET_DIR="$work/target-demo" timed cargo test --timings)
grep -E "^test result" "$work/last.log" | sed 's/^/   /'
echo "   ${secs} s"
top5 "$work/target-demo"

echo "3. the same cargo test, warm, after an edit"
echo "// edited" >>src/lib.rs
secs=$(CARGO_TARGET_DIR="$work/target-demo" timed cargo test)
echo "   ${secs} s"
