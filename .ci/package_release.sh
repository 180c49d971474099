#!/usr/bin/env bash
# Packs one release binary the way install.sh (the action) and the README expect it:
#
#   .ci/package_release.sh VERSION OS ARCH BINARY OUTDIR
#       -> OUTDIR/migcheck-VERSION-OS-ARCH.tar.gz holding migcheck-VERSION-OS-ARCH/{migcheck,LICENSE,README.md}
#   .ci/package_release.sh --sums OUTDIR
#       -> OUTDIR/SHA256SUMS: one "<sha256>  <file>" line per tarball in OUTDIR
#
# The tarball is reproducible with GNU tar (sorted names, owner 0, mtime of the last commit, or
# SOURCE_DATE_EPOCH), so the same binary always gives the same checksum. Used by release.yml
# and by .ci/test_action_scripts.sh, which installs what it packs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "${1:-}" = --sums ]; then
    cd "${2:?usage: $0 --sums OUTDIR}"
    files=(migcheck-*.tar.gz)
    [ -e "${files[0]}" ] || { echo "error: no migcheck-*.tar.gz in $PWD" >&2; exit 1; }
    sha256sum "${files[@]}" >SHA256SUMS
    cat SHA256SUMS
    exit 0
fi

if [ $# -ne 5 ]; then
    echo "usage: $0 VERSION OS ARCH BINARY OUTDIR | $0 --sums OUTDIR" >&2
    exit 2
fi
version=${1#v} os=$2 arch=$3 binary=$4 out=$5
case $os/$arch in
    linux/x86_64 | linux/aarch64 | macos/arm64 | macos/x86_64) ;;
    *) echo "error: not a release platform: $os/$arch" >&2; exit 2 ;;
esac
name=migcheck-$version-$os-$arch
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$out"
install -m 0755 "$binary" "$stage/$name/migcheck"
install -m 0644 "$root/LICENSE" "$root/README.md" "$stage/$name/"
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    -C "$stage" -cf - "$name" | gzip -n -9 >"$out/$name.tar.gz"
echo "$out/$name.tar.gz"
