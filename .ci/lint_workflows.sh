#!/usr/bin/env bash
# Lints .github/ with the tools GitHub Actions users rely on; each must report nothing:
#
#   actionlint          syntax, expressions, action inputs, reusable-workflow calls, and
#                       ShellCheck on every `run:` script
#   zizmor              security audits (template injection, credentials persisted by
#                       checkout, excessive permissions, unpinned actions, ...), with the
#                       ignores in .github/zizmor.yml, each with its reason
#   check-jsonschema    every workflow against the GitHub workflow schema (vendor.github-workflows)
#                       and the Dependabot configuration against vendor.dependabot
#
# zizmor runs offline (--offline) unless MIGCHECK_ZIZMOR_ONLINE=1 and GH_TOKEN are set: the
# online audits (impostor commits, known-vulnerable actions, a SHA that does not match its
# version comment, ...) need the GitHub API. The GitHub Actions job runs them online.
# Needs the tools from .ci/setup_tools.sh lint. Exits 1 if any tool reports anything.
set -uo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ci_root" || exit 1
ci_use_venv || exit 1

workflows=(.github/workflows/*.yml)
failed=()

echo "== actionlint $(actionlint -version | head -n 1) (shellcheck $(shellcheck --version | sed -n 's/^version: //p'))"
actionlint -no-color "${workflows[@]}" && echo "no problems" || failed+=(actionlint)

zizmor_mode=(--offline)
if [ "${MIGCHECK_ZIZMOR_ONLINE:-0}" = 1 ] && [ -n "${GH_TOKEN:-}" ]; then
    zizmor_mode=()
fi
echo "== $(zizmor --version) ${zizmor_mode[*]:-(online audits on)}"
zizmor "${zizmor_mode[@]}" --no-progress --color never .github/ || failed+=(zizmor)

echo "== check-jsonschema $(check-jsonschema --version | sed 's/.*version //')"
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}" || failed+=(check-jsonschema)
if [ -f .github/dependabot.yml ]; then
    check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml || failed+=(check-jsonschema-dependabot)
fi

if [ ${#failed[@]} -gt 0 ]; then
    echo "workflow lint failed: ${failed[*]}" >&2
    exit 1
fi
echo "workflow lint: actionlint, zizmor and check-jsonschema report nothing"
