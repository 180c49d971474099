#!/usr/bin/env bash
# Downloads a migcheck release for this machine, verifies it against the release's SHA256SUMS
# and installs the binary. Fails closed: a tarball whose SHA-256 differs from its SHA256SUMS
# line, or that has no line there, is deleted and nothing from it is executed or installed.
# Used by action.yml (step "install"); tested by .ci/test_action_scripts.sh.
#
# Environment:
#   MIGCHECK_VERSION           the version to install: 0.1.0 (a leading v is dropped); empty:
#                              MIGCHECK_ACTION_REF if it is a vX.Y.Z tag, else the version in
#                              MIGCHECK_ACTION_PATH/Sources/MigCheckFoundation/Version.swift
#   MIGCHECK_RELEASE_BASE_URL  where releases are: BASE/vVERSION/FILE is downloaded. Default
#                              $GITHUB_SERVER_URL/$MIGCHECK_REPOSITORY/releases/download. Any
#                              curl URL: https://… or, for tests and mirrors, file:///…
#   MIGCHECK_REPOSITORY        owner/name, for the default base URL; empty: from the action's
#                              path (_actions/OWNER/NAME/REF), else Version.swift's address
#   MIGCHECK_ACTION_REF, MIGCHECK_ACTION_PATH  the action's ref and directory (defaults: the
#                              ref in the path, $GITHUB_ACTION_PATH)
#   MIGCHECK_OS, MIGCHECK_ARCH override the platform (linux|macos, x86_64|aarch64|arm64)
#   MIGCHECK_CACHE_DIR         keeps verified tarballs (the action caches this directory);
#                              a cached tarball is verified again against a fresh SHA256SUMS
#                              and downloaded anew if it does not match
#   MIGCHECK_INSTALL_DIR       where the binary goes (default $RUNNER_TEMP/migcheck/bin)
#   MIGCHECK_RESOLVE_ONLY=1    only resolve: GITHUB_OUTPUT gets version= and platform=
#   GITHUB_OUTPUT              if set, gets binary=PATH and version=VERSION
set -euo pipefail

fail() {
    printf '::error title=migcheck install::%s\n' "$*"
    exit 1
}

# The version: the input; else the action's own tag (github.action_ref, when it is vX.Y.Z);
# else the version written in the action's own source (an action pinned by commit SHA, or by
# a major tag such as v1, runs the source of a release, whose Version.swift names it).
#
# github.action_ref and github.action_repository are often empty inside a composite action
# (actions/runner#2473), so both are also read from the action's own path on the runner,
# .../_actions/OWNER/NAME/REF, and the repository, failing that, from the address written in
# Version.swift.
action_path=${MIGCHECK_ACTION_PATH:-${GITHUB_ACTION_PATH:-$(dirname "$0")/../../..}}
version_file=$action_path/Sources/MigCheckFoundation/Version.swift
path_repository=""
path_ref=""
if [[ $action_path =~ /_actions/([^/]+)/([^/]+)/([^/]+)/?$ ]]; then
    path_repository=${BASH_REMATCH[1]}/${BASH_REMATCH[2]}
    path_ref=${BASH_REMATCH[3]}
fi
repository=${MIGCHECK_REPOSITORY:-$path_repository}
if [ -z "$repository" ] && [ -f "$version_file" ]; then
    repository=$(sed -n 's|.*informationURI = "https://github.com/\([^/"]*/[^/"]*\)".*|\1|p' "$version_file" | head -n 1)
fi
repository=${repository:-migcheck/migcheck}

version=${MIGCHECK_VERSION:-}
if [ -z "$version" ]; then
    ref=${MIGCHECK_ACTION_REF:-$path_ref}
    if [[ $ref =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]]; then
        version=$ref
    elif [ -f "$version_file" ]; then
        version=$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' "$version_file" | head -n 1)
    fi
fi
version=${version#v}
[ -n "$version" ] || fail "no version: set the action's version input (e.g. 0.1.0)"
case $version in
    *[!0-9A-Za-z.+-]* | .* | *..*) fail "not a version: $version" ;;
esac

os=${MIGCHECK_OS:-}
if [ -z "$os" ]; then
    case $(uname -s) in
        Linux) os=linux ;;
        Darwin) os=macos ;;
        *) fail "no migcheck release for $(uname -s); build it from source (README: Install)" ;;
    esac
fi
arch=${MIGCHECK_ARCH:-}
if [ -z "$arch" ]; then
    arch=$(uname -m)
fi
case $os/$arch in
    linux/x86_64 | linux/amd64) arch=x86_64 ;;
    linux/aarch64 | linux/arm64) arch=aarch64 ;;
    macos/x86_64 | macos/amd64) arch=x86_64 ;;
    macos/arm64 | macos/aarch64) arch=arm64 ;;
    *) fail "no migcheck release for $os/$arch; build it from source (README: Install)" ;;
esac

name=migcheck-$version-$os-$arch
if [ "${MIGCHECK_RESOLVE_ONLY:-0}" = 1 ]; then
    # The action's first step: the version and platform name its cache key.
    echo "migcheck: version $version, $os-$arch, from $repository"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        printf 'version=%s\nplatform=%s\n' "$version" "$os-$arch" >>"$GITHUB_OUTPUT"
    fi
    exit 0
fi
tarball=$name.tar.gz
base=${MIGCHECK_RELEASE_BASE_URL:-${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download}
base=${base%/}/v$version
install_dir=${MIGCHECK_INSTALL_DIR:-${RUNNER_TEMP:-/tmp}/migcheck/bin}
cache_dir=${MIGCHECK_CACHE_DIR:-}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    else
        shasum -a 256 "$1" | cut -d ' ' -f 1
    fi
}

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/migcheck-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

fetch() { # URL FILE
    curl --fail --silent --show-error --location --proto '=https,file' --retry 3 \
        --output "$2" "$1" || fail "cannot download $1"
}

# The checksums are always fetched anew, also when the tarball comes from the cache.
fetch "$base/SHA256SUMS" "$work/SHA256SUMS"
# A line is "<64 hex>  <name>" (or " *<name>", binary mode). Exactly one must name the tarball.
expected=$(awk -v file="$tarball" '
    { name = $2; sub(/^\*/, "", name) }
    name == file && NF == 2 && $1 ~ /^[0-9a-fA-F]+$/ && length($1) == 64 { print tolower($1); n++ }
    END { if (n != 1) exit 1 }' "$work/SHA256SUMS") ||
    fail "SHA256SUMS of v$version has no single valid line for $tarball: not installing"

candidate=""
if [ -n "$cache_dir" ] && [ -f "$cache_dir/$tarball" ]; then
    if [ "$(sha256 "$cache_dir/$tarball")" = "$expected" ]; then
        candidate=$cache_dir/$tarball
        echo "migcheck: $tarball from the cache, SHA-256 verified"
    else
        echo "::warning title=migcheck install::the cached $tarball does not match SHA256SUMS; downloading it again"
        rm -f "$cache_dir/$tarball"
    fi
fi
if [ -z "$candidate" ]; then
    fetch "$base/$tarball" "$work/$tarball"
    actual=$(sha256 "$work/$tarball")
    if [ "$actual" != "$expected" ]; then
        rm -f "$work/$tarball"
        fail "$tarball has SHA-256 $actual, but SHA256SUMS says $expected: not installing"
    fi
    echo "migcheck: $tarball downloaded, SHA-256 verified ($actual)"
    if [ -n "$cache_dir" ]; then
        mkdir -p "$cache_dir"
        cp "$work/$tarball" "$cache_dir/$tarball.partial"
        mv "$cache_dir/$tarball.partial" "$cache_dir/$tarball"
    fi
    candidate=$work/$tarball
fi

mkdir -p "$work/unpacked"
tar -xzf "$candidate" -C "$work/unpacked" "$name/migcheck" ||
    fail "$tarball does not hold $name/migcheck"
mkdir -p "$install_dir"
cp "$work/unpacked/$name/migcheck" "$install_dir/migcheck.partial"
chmod 0755 "$install_dir/migcheck.partial"
mv "$install_dir/migcheck.partial" "$install_dir/migcheck"
"$install_dir/migcheck" --version
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "binary=$install_dir/migcheck"
        echo "version=$version"
    } >>"$GITHUB_OUTPUT"
fi
