#!/usr/bin/env bash
# Prints one version's entry of CHANGELOG.md (Keep a Changelog form): the lines under
# `## [VERSION]` (or `## [VERSION] - DATE`) up to the next `## ` heading or the link
# references at the end, without the heading itself and without leading or trailing blank
# lines. The release workflow uses it for the GitHub release's notes.
#
#   .ci/changelog_entry.sh VERSION [CHANGELOG]      VERSION without a leading v: 0.1.0
#
# Exit 1 (and a message on standard error) when the file has no entry for VERSION or the
# entry is empty: a release must not go out without its notes.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 VERSION [CHANGELOG.md]" >&2
    exit 2
fi
version=${1#v}
changelog=${2:-$(dirname "$0")/../CHANGELOG.md}
if [ ! -f "$changelog" ]; then
    echo "error: $changelog not found" >&2
    exit 1
fi
entry=$(awk -v version="$version" '
    function heading_version(line,    v) {
        v = line
        sub(/^## \[/, "", v)
        sub(/\].*$/, "", v)
        return v
    }
    /^## / {
        if (found) { exit }
        if ($0 ~ /^## \[/ && heading_version($0) == version) { found = 1; next }
    }
    /^\[[^]]+\]: / { if (found) exit }
    found { print }
' "$changelog" | sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}')
if [ -z "$entry" ]; then
    echo "error: $changelog has no entry for [$version] (a heading \"## [$version] - YYYY-MM-DD\")" >&2
    exit 1
fi
printf '%s\n' "$entry"
