#!/usr/bin/env bash
# Creates or updates the one pull-request comment that carries migcheck's Markdown report for a
# category. The comment is found by its first line, a hidden marker <!-- migcheck:CATEGORY -->:
# the first run creates it, every later run edits it in place, so a pull request never
# collects one comment per push. Tested by .ci/test_action_scripts.sh against a local stand-in
# for the GitHub API.
#
# Environment:
#   GITHUB_API_URL     https://api.github.com (GitHub Enterprise: its own)
#   GITHUB_REPOSITORY  owner/name
#   GITHUB_TOKEN       a token that may write pull-request comments (pull-requests: write)
#   PR_NUMBER          the pull request; empty (not a pull_request event): nothing to do
#   CATEGORY           the category (the marker's key)
#   BODY_FILE          the Markdown report
#   GITHUB_OUTPUT      if set, gets comment-id and comment-action (created|updated)
set -euo pipefail

api=${GITHUB_API_URL:-https://api.github.com}
api=${api%/}
repository=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY: owner/name}
category=${CATEGORY:-migcheck}
body_file=${BODY_FILE:?BODY_FILE: the Markdown report}
pr=${PR_NUMBER:-}

if [ -z "$pr" ]; then
    echo "::notice title=migcheck::pr-comment: this run is not for a pull request; no comment written"
    exit 0
fi
case $pr in *[!0-9]*) echo "::error title=migcheck::PR_NUMBER is not a number: $pr"; exit 1 ;; esac
case $category in
    *[!A-Za-z0-9._/-]*) echo "::error title=migcheck::category may hold letters, digits and . _ / - only"; exit 1 ;;
esac
[ -n "${GITHUB_TOKEN:-}" ] || { echo "::error title=migcheck::pr-comment needs a token (github-token input)"; exit 1; }

marker="<!-- migcheck:$category -->"
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/migcheck-comment.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The token goes to curl in a config file, never on its command line.
umask 077
printf 'header = "Authorization: Bearer %s"\n' "$GITHUB_TOKEN" >"$work/auth"

github() { # METHOD PATH [JSON-FILE]  (prints the response body; fails on an HTTP error)
    local args=(--silent --show-error --fail-with-body --location --proto '=https,http' --retry 2
        --config "$work/auth" --header "Accept: application/vnd.github+json"
        --header "X-GitHub-Api-Version: 2022-11-28" --request "$1")
    if [ $# -ge 3 ]; then
        args+=(--header "Content-Type: application/json" --data-binary "@$3")
    fi
    curl "${args[@]}" "$api$2"
}

# GitHub refuses a comment over 65,536 characters: keep the report's head and say so.
limit=60000
{
    printf '%s\n' "$marker"
    if [ "$(wc -c <"$body_file")" -gt "$limit" ]; then
        head -c "$limit" "$body_file"
        printf '\n\n… the report is longer than a comment can hold: see the job summary or the SARIF upload.\n'
    else
        cat "$body_file"
    fi
} >"$work/body.md"
jq -n --rawfile body "$work/body.md" '{body: $body}' >"$work/body.json"

# Find our comment: the first whose body starts with the marker line, over every page.
id=""
page=1
while [ "$page" -le 100 ]; do
    github GET "/repos/$repository/issues/$pr/comments?per_page=100&page=$page" >"$work/page.json"
    id=$(jq -r --arg marker "$marker" \
        '[.[] | select((.body // "") | split("\n")[0] | rtrimstr("\r") == $marker) | .id][0] // empty' \
        "$work/page.json")
    if [ -n "$id" ] || [ "$(jq length "$work/page.json")" -lt 100 ]; then
        break
    fi
    page=$((page + 1))
done

if [ -n "$id" ]; then
    github PATCH "/repos/$repository/issues/comments/$id" "$work/body.json" >"$work/response.json"
    action=updated
else
    github POST "/repos/$repository/issues/$pr/comments" "$work/body.json" >"$work/response.json"
    action=created
    id=$(jq -r .id "$work/response.json")
fi
echo "migcheck: pull-request comment $id $action ($(jq -r '.html_url // ""' "$work/response.json"))"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "comment-id=$id"
        echo "comment-action=$action"
    } >>"$GITHUB_OUTPUT"
fi
