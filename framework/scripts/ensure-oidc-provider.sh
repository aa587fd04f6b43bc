#!/usr/bin/env bash
# Makes sure `oidc-provider` (panva's OpenID Certified™ OAuth 2.0 / OpenID Connect authorization
# server for Node.js, from npm) is installed where the SDK's OAuth interop tests find it without
# configuration: ${OIDC_PROVIDER_DIR:-$HOME/.cache/connector-sdk/oidc-provider}.
#
# The tests (framework/tests/integration/oidc.rs) start their own provider on a loopback port
# with `node framework/tests/oidc/provider.js`, which imports the package from that folder, and
# stop it when they finish; they only need the package. When the pinned version is already
# installed this script does nothing.
set -euo pipefail

VERSION=9.13.3
DIR="${OIDC_PROVIDER_DIR:-$HOME/.cache/connector-sdk/oidc-provider}"
STAMP="$DIR/.oidc-provider-$VERSION"

if [ -e "$STAMP" ] && [ -e "$DIR/node_modules/oidc-provider/package.json" ]; then
    echo "ensure-oidc-provider: oidc-provider $VERSION is already installed ($DIR)"
    exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "ensure-oidc-provider: node and npm not found; install Node.js 20 or newer" \
        "(Debian/Ubuntu: apt-get install nodejs npm, or https://nodejs.org)" >&2
    exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
    echo "ensure-oidc-provider: oidc-provider $VERSION needs Node.js 20 or newer; found" \
        "$(node --version)" >&2
    exit 1
fi

mkdir -p "$DIR"
if [ ! -e "$DIR/package.json" ]; then
    printf '{"name":"connector-sdk-oidc-provider","private":true,"type":"module"}\n' \
        >"$DIR/package.json"
fi
echo "ensure-oidc-provider: installing oidc-provider@$VERSION into $DIR"
npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error --save-exact \
    "oidc-provider@$VERSION"
rm -f "$DIR"/.oidc-provider-*
touch "$STAMP"
echo "ensure-oidc-provider: installed oidc-provider" \
    "$(node -p "require('$DIR/node_modules/oidc-provider/package.json').version")"
