#!/usr/bin/env bash
# The whole migration applied for real, against a local AWS (moto on 127.0.0.1):
# examples/aurora-dms-migration deployed phase by phase, each deploy gated by migcheck
# exactly as .github/workflows/example-deploy-infrastructure.yml gates it (the migcheck
# action's run step, .github/actions/migcheck/run.sh, which the reusable workflow runs):
#
#   terraform plan -out tfplan; terraform show -json tfplan > plan.json
#   gate: migcheck on plan.json (--fail-on error, the example's migcheck.json, --phase)
#   the applied plan is byte for byte the checked one (terraform show -json tfplan | cmp)
#   terraform apply tfplan             only when the gate passed
#   post-apply: migcheck on `terraform show -json` of the new state
#
# Broken deploys (Tests/e2e/breaks/NAME.PHASE.tf, one override file each) are planned from
# the state the healthy deploy of their phase starts from; the gate must stop each with its
# rule, writing SARIF and JUnit; they are never applied.
#
# Where the time goes (2 shared cores): the applies, which mostly wait (the AWS provider
# polls RDS creates and deletes no sooner than 30 s after asking), and every Terraform
# command's start (the 690 MB provider loads its schema: ~3-5 s, also for `show -json`).
# So the run overlaps what does not depend on each other:
# - the broken deploys of a phase are planned while the healthy deploy of that phase
#   applies, two at a time (E2E_JOBS), each in its own copy of the working directory, with
#   -refresh=false from the refreshed state the healthy plan just read (the tfstate inside
#   its tfplan): the prior state a refreshing plan of theirs would read, without asking
#   moto again while the healthy apply changes it. Their plans have no resource_drift (the
#   drift is in the healthy plan); each is still checked for its own rule;
# - the two unguarded cleanups (environments "demo" and "demo2", own states, same moto) run
#   beside the whole healthy sequence and beside each other, their lines printed at the end;
# - the providers are installed once per copy from the mirror (symlinks) or the plugin cache.
#
# Deploys: before (the application as it runs before the migration, not gated), prepare,
# full-load, cutover, cleanup-unprotect, cleanup. Between them, the runbook's steps outside
# Terraform run with the AWS CLI against moto (snapshot, reboots and failover, starting and
# stopping the DMS task). At the end the source, DMS and every migration-only resource must
# be gone and the target kept. One line per deploy: phase, gate verdict, apply result,
# post-apply verdict. Exits 0 only when everything holds.
#
# Readiness (issue 14): before the full-load, cutover and cleanup deploys, after the runbook's
# steps, the readiness gate as the README's recipe runs it (migcheck collect on the last
# state, its AWS CLI calls against moto, migcheck ready), which must say ready: one line each
# ("ready PHASE"). Once per gate (twice before cutover) it also runs too early and must not
# ("broken-ready").
#
# Needs terraform (1.11+); the hashicorp/aws provider (5.100.0, pinned in the lock file
# written below) as TF_CLI_CONFIG_FILE says when that file exists, else from a filesystem mirror at
# PLUGIN_DIR (default /opt/tf-plugins) when it holds hashicorp/aws, else from the registry
# (network; cached in .build/e2e-plugin-cache); python3 with venv, jq, and PyPI once, for
# moto[server] and awscli (pinned in Tests/support/moto.sh, in .build/e2e-venv). Without terraform it says so
# on one line and exits 0.
#
#   Tests/e2e/run.sh            MIGCHECK=path/to/migcheck to use a built binary
#                               (default .build/debug/migcheck, built when missing)
#   E2E_WORK=DIR                working directory (default .build/e2e, emptied first)
#   E2E_UNGUARDED=0             leave out the two cleanups applied without the gate
#   E2E_JOBS=N                  broken deploys planned at a time (default 2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
plugin_dir=${PLUGIN_DIR:-/opt/tf-plugins}

if ! command -v terraform >/dev/null 2>&1; then
  echo "e2e: skipped: terraform not found (install Terraform 1.11+ on PATH; the hashicorp/aws provider comes from a filesystem mirror at $plugin_dir or TF_CLI_CONFIG_FILE, else from the registry)"
  exit 0
fi
parallel=${E2E_JOBS:-2}

started=$(date +%s)
work=${E2E_WORK:-$root/.build/e2e}
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

migcheck=${MIGCHECK:-$root/.build/debug/migcheck}
if [ ! -x "$migcheck" ]; then
  echo "e2e: building migcheck"
  (cd "$root" && swift build --product migcheck) > "$work/swift-build.log" 2>&1 \
    || { echo "e2e: swift build failed, see $work/swift-build.log"; exit 1; }
fi

# ---------------------------------------------------------------- moto and the AWS CLI
venv=$root/.build/e2e-venv
# shellcheck source=Tests/support/moto.sh
source "$root/Tests/support/moto.sh"
moto_venv e2e
trap stop_moto EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
moto_start e2e --readiness

# ---------------------------------------------------------------- Terraform and the provider
# The provider from the CLI configuration given, else the filesystem mirror, else the registry.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ -f "$TF_CLI_CONFIG_FILE" ]; then
  provider_from="the CLI configuration $TF_CLI_CONFIG_FILE"
elif [ -d "$plugin_dir/registry.terraform.io/hashicorp/aws" ]; then
  cat > "$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$plugin_dir"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
  export TF_CLI_CONFIG_FILE="$work/terraformrc"
  provider_from="the filesystem mirror $plugin_dir"
else
  export TF_PLUGIN_CACHE_DIR="$root/.build/e2e-plugin-cache"
  mkdir -p "$TF_PLUGIN_CACHE_DIR"
  provider_from="the registry (cache $TF_PLUGIN_CACHE_DIR)"
fi
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
config=$work/config
cp -R "$root/examples/aurora-dms-migration" "$config"
rm -rf "$config/.terraform" "$config"/terraform.tfstate*
# The provider version moto's workarounds were checked with (Tests/e2e/moto_server.py),
# whatever the mirror or the registry offers; init adds the checksums of what it installs.
cat > "$config/.terraform.lock.hcl" <<'LOCK'
provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "~> 5.70"
}
LOCK
(cd "$config" && terraform init -input=false -no-color) > "$work/init.log" 2>&1 \
  || { echo "e2e: terraform init failed (provider from $provider_from), see $work/init.log"; exit 1; }

# Failures are lines in a file, so that the jobs running beside the sequence count too.
: > "$work/failures"
fail() { echo "e2e: FAIL: $*"; echo "$*" >> "$work/failures"; }
now() { date +%s; }

# gate KIND DOCUMENT PHASE REPORTS: migcheck through the migcheck action's run step
# (.github/actions/migcheck/run.sh), with the environment action.yml's "Run migcheck" step
# gives it when .github/workflows/migcheck.yml calls the action (policy file found, fail-on
# error, SARIF uploaded so no annotations, summary on). Prints pass, fail (findings at or
# above error) or error (migcheck could not judge the input).
gate() {
  local kind=$1 document=$2 phase=$3 reports=$4 code
  rm -f "$reports.out"
  MIGCHECK=$migcheck PLAN=$document INPUT_KIND=$kind PHASE=$phase \
    POLICY=$config/migcheck.json FAIL_ON=error SOURCE_DIR=$config \
    CATEGORY=migcheck-e2e SUMMARY=true ANNOTATIONS=false REPORT_DIR=$reports \
    GITHUB_OUTPUT=$reports.out GITHUB_STEP_SUMMARY=$reports.summary.md \
    bash "$root/.github/actions/migcheck/run.sh" > "$reports.log" 2>&1 || true
  code=$(sed -n 's/^exit-code=//p' "$reports.out" 2>/dev/null | tail -n 1)
  case $code in
    0) echo pass ;;
    1) echo fail ;;
    *) echo error ;;
  esac
}

# The phase migcheck judges each deploy under. cleanup-unprotect changes only the source's
# deletion protection and final snapshot identifier, while DMS still replicates: it is
# judged under cutover, whose rules all still hold (the DMS task kept, nothing on the source).
migcheck_phase() {
  case $1 in
    cleanup-unprotect) echo cutover ;;
    *) echo "$1" ;;
  esac
}

# deploy PHASE [BREAKS]: plan, gate, apply, post-apply check; one line. BREAKS names the
# phase of Tests/e2e/breaks whose broken deploys are planned beside this deploy's apply.
n=0
deploy() {
  local phase=$1 broken=${2:-} dir verdict="-" applied="-" post="-" mphase t0 t_plan t_apply=0 breaks_pid=
  n=$((n + 1))
  dir=$work/deploys/$n-$phase
  mkdir -p "$dir"
  mphase=$(migcheck_phase "$phase")
  t0=$(now)
  if ! (cd "$config" && terraform plan -input=false -no-color -var "phase=$phase" \
        -var "aws_endpoint_url=$endpoint" -out "$dir/tfplan") > "$dir/plan.log" 2>&1; then
    fail "$phase: terraform plan failed, see $dir/plan.log"
    printf '%-18s gate %-5s apply %-7s post-apply %s\n' "$phase" "-" "-" "-"
    return
  fi
  (cd "$config" && terraform show -json "$dir/tfplan") > "$dir/plan.json"
  t_plan=$(( $(now) - t0 ))
  if [ -n "$broken" ]; then
    breaks "$broken" "$dir/tfplan" > "$work/breaks-$broken.out" 2>&1 &
    breaks_pid=$!
  fi
  if [ "$phase" = before ]; then
    verdict="n/a"
  else
    verdict=$(gate plan "$dir/plan.json" "$mphase" "$dir/gate")
    [ "$verdict" = pass ] || fail "$phase: the gate did not pass a healthy deploy ($verdict), see $dir/gate.log"
  fi
  if [ "$verdict" = pass ] || [ "$verdict" = n/a ]; then
    t0=$(now)
    # What gets applied is what was checked (the workflow's apply job does the same).
    if ! (cd "$config" && terraform show -json "$dir/tfplan") | cmp -s - "$dir/plan.json"; then
      fail "$phase: tfplan is not the plan the gate checked"
      applied=refused
    elif (cd "$config" && terraform apply -input=false -no-color "$dir/tfplan") > "$dir/apply.log" 2>&1; then
      applied=ok
    else
      applied=failed
      fail "$phase: terraform apply failed, see $dir/apply.log"
    fi
    t_apply=$(( $(now) - t0 ))
  else
    applied=skipped
  fi
  if [ "$applied" = ok ]; then
    (cd "$config" && terraform show -json) > "$dir/state.json"
    last_state=$dir/state.json
    cp "$config/terraform.tfstate" "$dir/terraform.tfstate"
    if [ "$phase" = before ]; then
      post="n/a"
    else
      post=$(gate state "$dir/state.json" "$mphase" "$dir/post")
      [ "$post" = pass ] || fail "$phase: the post-apply check did not pass ($post), see $dir/post.log"
    fi
  fi
  printf '%-18s gate %-5s apply %-7s post-apply %-5s (plan %ss, apply %ss)\n' \
    "$phase" "$verdict" "$applied" "$post" "$t_plan" "$t_apply"
  if [ -n "$breaks_pid" ]; then
    wait "$breaks_pid" || true
    cat "$work/breaks-$broken.out"
  fi
}

# breaks PHASE TFPLAN: the broken deploys of Tests/e2e/breaks/*.PHASE.tf, each the PHASE
# configuration with one override file (Terraform's *_override.tf merging), planned with
# -refresh=false from the refreshed state inside TFPLAN (the healthy plan of the deploy they
# stand for), E2E_JOBS at a time, each in its own copy of the working directory. The gate
# must stop each (exit status 1) with the rule its name starts with (MIG007-MIG009-...:
# both), and write SARIF and JUnit. Never applied.
breaks() {
  local phase=$1 tfplan=$2 file name copy t0
  t0=$(now)
  local names=()
  for file in "$here"/breaks/*."$phase".tf; do
    [ -e "$file" ] || continue
    name=$(basename "$file" ".$phase.tf")
    names+=("$name")
    copy=$work/copies/$name.$phase
    mkdir -p "$work/copies"
    cp -a "$config/." "$copy"
    rm -f "$copy"/terraform.tfstate* "$copy"/.terraform.tfstate.lock.info
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("tfstate"))' \
      "$tfplan" > "$copy/terraform.tfstate"
    cp "$file" "$copy/zz_e2e_break_override.tf"
  done
  for name in "${names[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
    break_one "$name" "$phase" &
  done
  wait
  for name in "${names[@]}"; do
    cat "$work/breaks/$name.$phase/line"
  done
  echo "  (the $phase broken deploys: $(( $(now) - t0 ))s, $parallel at a time)"
}

break_one() {
  local name=$1 phase=$2 dir copy rules rule found verdict
  dir=$work/breaks/$name.$phase
  copy=$work/copies/$name.$phase
  mkdir -p "$dir"
  {
    if (cd "$copy" && terraform plan -input=false -no-color -refresh=false -var "phase=$phase" \
          -var "aws_endpoint_url=$endpoint" -out "$dir/tfplan") > "$dir/plan.log" 2>&1; then
      (cd "$copy" && terraform show -json "$dir/tfplan") > "$dir/plan.json"
      verdict=$(gate plan "$dir/plan.json" "$(migcheck_phase "$phase")" "$dir/gate")
    else
      verdict="plan-failed"
    fi
    found=$(jq -r '[.documents[].findings[] | select(.gating) | .ruleId] | unique | join(",")' \
      "$dir/gate/migcheck.json" 2>/dev/null || true)
    rules=${name%%-[a-z]*}
    for rule in ${rules//-/ }; do
      case ",$found," in
        *",$rule,"*) ;;
        *) fail "break $name: the gate did not report $rule (gating: ${found:-none}), see $dir/gate.log"; verdict="$verdict,missed-$rule" ;;
      esac
    done
    [ "$verdict" = fail ] || [ "${verdict%%,*}" = fail ] || fail "break $name: the gate did not stop it ($verdict), see $dir"
    jq -e '.runs[0].results | length > 0' "$dir/gate/migcheck.sarif" > /dev/null 2>&1 \
      || fail "break $name: no SARIF results in $dir/gate/migcheck.sarif"
    grep -q '<failure' "$dir/gate/migcheck.xml" 2>/dev/null \
      || fail "break $name: no JUnit failure in $dir/gate/migcheck.xml"
    printf '  broken %-50s gate %-5s %-20s not applied\n' "$name.$phase" "${verdict%%,*}" "${found:-none}"
  } > "$dir/line" 2>&1
  rm -rf "$copy"
}

# ---------------------------------------------------------------- readiness gates (issue 14)
# Between deploys, the README's recipe (collect -> ready -> deploy): `migcheck collect --phase P
# STATE` (the state of the last post-apply check) prints read-only AWS CLI calls; they run as
# written (`sh collect.sh`) with the venv's awscli, pointed at moto by AWS_ENDPOINT_URL (which
# awscli 1.46.3's botocore honours); then `migcheck ready --phase P --fail-on warning` on the
# evidence and the state, at the clock's time. moto_server.py --readiness simulates what a
# real migration has by then and moto does not (its workarounds 11-13).
ready_policy=$work/ready-policy.json
# The policy: the example's, with the migration's window MIG017 judges rotations against,
# written once the prepare deploy is done: planned to start now and end in 30 days. Without a
# plannedStart, MIG017 takes the DMS task's creation as the start, and the example creates the
# task in the prepare deploy beside the secrets' rotations (rotated immediately): whether a
# rotation came before the task would be a race between two resources of one apply.
write_ready_policy() {
  jq --arg start "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg planned "$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)" \
    '.rules.MIG017.parameters.plannedStart = $start | .rules.MIG017.parameters.plannedEnd = $planned' \
    "$config/migcheck.json" > "$ready_policy"
}
last_state=
ready_n=0
# ready_gate PHASE DIR: prints "VERDICT RULES" (pass, fail or error; the gating rules).
ready_gate() {
  local phase=$1 dir=$2 code found
  mkdir -p "$dir"
  if ! "$migcheck" collect --phase "$phase" "$last_state" > "$dir/collect.sh" 2> "$dir/collect.err"; then
    echo "error collect"
    return
  fi
  (cd "$dir" && PATH=$venv/bin:$PATH AWS_ENDPOINT_URL=$endpoint sh collect.sh) > "$dir/collect.log" 2>&1 || true
  code=0
  "$migcheck" ready --phase "$phase" --policy "$ready_policy" --fail-on warning --evidence "$dir/evidence" \
    --output "json=$dir/ready.json" "$last_state" > "$dir/ready.log" 2>&1 || code=$?
  found=$(jq -r '[.documents[].findings[] | select(.gating) | .ruleId] | unique | join(",")' "$dir/ready.json" 2>/dev/null || true)
  case $code in
    0) echo "pass ${found:--}" ;;
    1) echo "fail ${found:--}" ;;
    *) echo "error ${found:--}" ;;
  esac
}
# ready PHASE: the healthy gate before the PHASE deploy: must pass.
ready() {
  local result t0 dir
  t0=$(now)
  ready_n=$((ready_n + 1))
  dir=$work/ready/$ready_n-$1
  result=$(ready_gate "$1" "$dir")
  [ "${result%% *}" = pass ] || fail "ready $1: the readiness gate did not pass ($result), see $dir"
  printf '  ready %-16s %-5s %-20s (%ss)\n' "$1" "${result%% *}" "${result#* }" "$(( $(now) - t0 ))"
}
# broken_ready PHASE NAME RULE: the gate run too early (a runbook step not done yet): must
# fail with RULE.
broken_ready() {
  local result t0 dir
  t0=$(now)
  ready_n=$((ready_n + 1))
  dir=$work/ready/$ready_n-$2
  result=$(ready_gate "$1" "$dir")
  [ "${result%% *}" = fail ] || fail "broken-ready $2: the readiness gate did not fail ($result), see $dir"
  case ",${result#* }," in
    *",$3,"*) ;;
    *) fail "broken-ready $2: the readiness gate did not report $3 ($result), see $dir" ;;
  esac
  printf '  broken-ready %-37s %s gate %-5s %-20s (%ss)\n' "$2" "$1" "${result%% *}" "${result#* }" "$(( $(now) - t0 ))"
}
# step DESCRIPTION COMMAND...: a runbook step outside Terraform, with the AWS CLI.
step() {
  local what=$1
  shift
  if "$@" >> "$work/runbook.log" 2>&1; then
    echo "  runbook: $what"
  else
    fail "runbook step failed: $what (see $work/runbook.log)"
  fi
}
# The production task (the demo's runs in the same moto). The backquotes are JMESPath.
# shellcheck disable=SC2016
task_arn() {
  aws dms describe-replication-tasks --output text \
    --query 'ReplicationTasks[?ReplicationTaskIdentifier == `app-production-migration`] | [0].ReplicationTaskArn'
}
# shellcheck disable=SC2016
task_status() {
  aws dms describe-replication-tasks --output text \
    --query 'ReplicationTasks[?ReplicationTaskIdentifier == `app-production-migration`] | [0].Status'
}
expect_task() {
  local status
  status=$(task_status)
  [ "$status" = "$1" ] || { echo "DMS task is $status, expected $1"; return 1; }
}

# Without the gate: the two cleanups the gate stops because the destroy cannot succeed,
# applied anyway, each in a copy of the configuration of its own (environments "demo" and
# "demo2", their own states, the same moto), both at once and beside the healthy sequence.
# First the source with a final snapshot identifier but still protected (a
# cleanup-unprotect deploy that kept deletion_protection = true): the gate reports MIG007,
# and the apply stops halfway, when moto (like RDS) refuses to delete the protected cluster.
# Then the source unprotected but without a final snapshot identifier (the cleanup-unprotect
# deploy with final_snapshot_identifier = null): the gate reports MIG009, and the apply stops
# halfway, when the provider refuses to delete the cluster without the identifier.
demo=
demo_environment=
demo_plan() {  # PHASE DIR
  mkdir -p "$2"
  (cd "$demo" && terraform plan -input=false -no-color -var "phase=$1" -var "environment=$demo_environment" \
    -var "aws_endpoint_url=$endpoint" -out "$2/tfplan") > "$2/plan.log" 2>&1 \
    && (cd "$demo" && terraform show -json "$2/tfplan") > "$2/plan.json"
}
demo_apply() {  # DIR
  (cd "$demo" && terraform apply -input=false -no-color "$1/tfplan") > "$1/apply.log" 2>&1
}
# unguarded NAME EXPECTED_RULES: the cleanup planned and gated in the demo, then applied
# without the gate; the gate must fail with the rules and the apply must fail after
# changing something (halfway).
unguarded() {
  local name=$1 expected=$2 dir=$work/unguarded/$1 verdict found done_count error rule
  if ! demo_plan cleanup "$dir"; then
    fail "unguarded $name: terraform plan failed, see $dir/plan.log"
    return
  fi
  verdict=$(gate plan "$dir/plan.json" cleanup "$dir/gate")
  found=$(jq -r '[.documents[].findings[] | select(.gating) | .ruleId] | unique | join(",")' \
    "$dir/gate/migcheck.json" 2>/dev/null || true)
  [ "$verdict" = fail ] || fail "unguarded $name: the gate did not stop it ($verdict)"
  for rule in ${expected//,/ }; do
    case ",$found," in
      *",$rule,"*) ;;
      *) fail "unguarded $name: the gate did not report $rule (gating: ${found:-none})" ;;
    esac
  done
  if demo_apply "$dir"; then
    fail "unguarded $name: terraform apply without the gate succeeded, see $dir/apply.log"
    return
  fi
  done_count=$(grep -cE 'Destruction complete|Creation complete|Modifications complete' "$dir/apply.log" || true)
  error=$(grep -m 1 -E '^Error: ' "$dir/apply.log" | cut -c1-160)
  [ "$done_count" -gt 0 ] || fail "unguarded $name: the apply failed before changing anything"
  printf '  unguarded %-34s gate %s %-14s apply without the gate: failed after %s changes: %s\n' \
    "$name" "$verdict" "$found" "$done_count" "$error"
}
# scenario NAME ENVIRONMENT RULES OVERRIDE: a demo copy deployed as before, then as the
# cleanup-unprotect deploy with OVERRIDE (neither gated), then its cleanup without the gate.
scenario() {
  local name=$1 setup=$work/unguarded/$1-setup before=$work/unguarded/$1-before
  demo=$work/$2
  demo_environment=$2
  cp -R "$root/examples/aurora-dms-migration" "$demo"
  rm -rf "$demo/.terraform" "$demo"/terraform.tfstate*
  cp "$config/.terraform.lock.hcl" "$demo/"
  if ! (cd "$demo" && terraform init -input=false -no-color) > "$work/$2-init.log" 2>&1; then
    fail "demo: terraform init failed, see $work/$2-init.log"
    return
  fi
  if ! { demo_plan before "$before" && demo_apply "$before"; }; then
    fail "demo: the before deploy of $2 failed, see $before"
    return
  fi
  printf '%s\n' "$4" > "$demo/zz_e2e_break_override.tf"
  if ! { demo_plan cleanup-unprotect "$setup" && demo_apply "$setup"; }; then
    fail "demo: the cleanup-unprotect deploy of $2 failed, see $setup"
    return
  fi
  unguarded "$name" "$3"
}
unguarded_all() {
  mkdir -p "$work/unguarded"
  # A final snapshot identifier, but the protection left on: moto refuses DeleteDBCluster.
  scenario cleanup-still-protected demo MIG007 'resource "aws_rds_cluster" "source" {
  deletion_protection = true
}' > "$work/unguarded/1.out" 2>&1 &
  # Unprotected, but without a final snapshot identifier: the provider refuses the delete.
  scenario cleanup-no-final-snapshot demo2 MIG009 'resource "aws_rds_cluster" "source" {
  final_snapshot_identifier = null
}' > "$work/unguarded/2.out" 2>&1 &
  wait
  cat "$work/unguarded/1.out" "$work/unguarded/2.out"
  echo "  (the unguarded cleanups, beside the sequence: $(( $(now) - unguarded_started ))s)"
}

echo "e2e: moto at $endpoint; terraform $(terraform version | head -n 1 | cut -d' ' -f2), provider from $provider_from; $("$migcheck" --version 2>&1 | head -n 1)"
unguarded_pid=
unguarded_started=$(now)
if [ "${E2E_UNGUARDED:-1}" = 0 ]; then
  echo "  unguarded cleanups: skipped (E2E_UNGUARDED=0)" > "$work/unguarded.out"
else
  unguarded_all > "$work/unguarded.out" 2>&1 &
  unguarded_pid=$!
fi
deploy before
deploy prepare prepare
write_ready_policy
broken_ready full-load no-snapshot-yet MIG016
step "snapshot of the source" aws rds create-db-cluster-snapshot \
  --db-cluster-identifier app-production-aurora --db-cluster-snapshot-identifier app-production-aurora-before-migration
step "reboot the source's reader" aws rds reboot-db-instance --db-instance-identifier app-production-aurora-2
step "fail the source over" aws rds failover-db-cluster --db-cluster-identifier app-production-aurora \
  --target-db-instance-identifier app-production-aurora-2
step "reboot the source's former writer" aws rds reboot-db-instance --db-instance-identifier app-production-aurora-1
broken_ready cutover task-not-started-yet MIG015
ready full-load
deploy full-load full-load
step "the DMS task is running" expect_task running
# MIG016 before cutover: the snapshot from before the migration is older than the full load
# (runbook step 6 snapshots after it), so the gate fails until the switchover snapshot is taken.
broken_ready cutover no-snapshot-since-the-full-load MIG016
step "snapshot before the switchover" aws rds create-db-cluster-snapshot \
  --db-cluster-identifier app-production-aurora --db-cluster-snapshot-identifier app-production-aurora-before-switchover
ready cutover
deploy cutover cutover
step "reboot the target's reader" aws rds reboot-db-instance --db-instance-identifier app-production-core-2
step "fail the target over" aws rds failover-db-cluster --db-cluster-identifier app-production-core \
  --target-db-instance-identifier app-production-core-2
step "reboot the target's other instance" aws rds reboot-db-instance --db-instance-identifier app-production-core-1
step "stop the DMS task" aws dms stop-replication-task --replication-task-arn "$(task_arn)"
step "the DMS task is stopped" expect_task stopped
# MIG016 before cleanup: a manual snapshot taken after the task stopped (its last writes).
step "snapshot before the cleanup" aws rds create-db-cluster-snapshot \
  --db-cluster-identifier app-production-aurora --db-cluster-snapshot-identifier app-production-aurora-before-cleanup
broken_ready cleanup source-still-protected MIG018
# The cleanup's broken deploys skip (or botch) the unprotect deploy: planned from its state.
deploy cleanup-unprotect cleanup
ready cleanup
deploy cleanup

# What must be left: the target and its two instances; no source, no DMS, nothing
# migration-only.
check() {
  local what=$1 expected=$2 actual
  shift 2
  actual=$("$@" 2>> "$work/runbook.log") || actual="(error)"
  if [ "$actual" = "$expected" ]; then
    echo "  after cleanup: $what: $actual"
  else
    fail "after cleanup: $what: $actual, expected $expected"
  fi
}
# The backquotes below are JMESPath literals, not shell.
# shellcheck disable=SC2016
{
check "clusters" "app-production-core" \
  aws rds describe-db-clusters --query 'join(`,`, sort(DBClusters[?starts_with(DBClusterIdentifier, `app-production`)].DBClusterIdentifier))' --output text
check "instances" "app-production-core-1,app-production-core-2" \
  aws rds describe-db-instances --query 'join(`,`, sort(DBInstances[?starts_with(DBInstanceIdentifier, `app-production`)].DBInstanceIdentifier))' --output text
check "the source's final snapshot" "app-production-aurora-final" \
  aws rds describe-db-cluster-snapshots --db-cluster-snapshot-identifier app-production-aurora-final \
  --query 'DBClusterSnapshots[0].DBClusterSnapshotIdentifier' --output text
check "DMS replication instances" 0 aws dms describe-replication-instances \
  --query 'length(ReplicationInstances[?starts_with(ReplicationInstanceIdentifier, `app-production`)])'
check "DMS endpoints" 0 aws dms describe-endpoints --query 'length(Endpoints[?starts_with(EndpointIdentifier, `app-production`)])'
check "DMS tasks" 0 aws dms describe-replication-tasks \
  --query 'length(ReplicationTasks[?starts_with(ReplicationTaskIdentifier, `app-production`)])'
check "DMS subnet groups" 0 aws dms describe-replication-subnet-groups \
  --query 'length(ReplicationSubnetGroups[?starts_with(ReplicationSubnetGroupIdentifier, `app-production`)])'
check "cluster parameter groups" "app-production-core-disable-constraints" \
  aws rds describe-db-cluster-parameter-groups \
  --query 'join(`,`, DBClusterParameterGroups[?starts_with(DBClusterParameterGroupName, `app-production`)].DBClusterParameterGroupName)' --output text
# (moto's ListTaskDefinitionFamilies ignores --status: ask each family's latest revision.)
check "the web task definition" ACTIVE \
  aws ecs describe-task-definition --task-definition app-production-web --query taskDefinition.status --output text
check "the schema-prep task definition" INACTIVE \
  aws ecs describe-task-definition --task-definition app-production-prepare-new-db --query taskDefinition.status --output text
}

if [ -n "$unguarded_pid" ]; then
  wait "$unguarded_pid" || true
fi
cat "$work/unguarded.out"
stop_moto
elapsed=$(( $(date +%s) - started ))
failures=$(wc -l < "$work/failures")
if [ "$failures" -gt 0 ]; then
  echo "e2e: $failures failure(s) in ${elapsed}s; logs in $work"
  exit 1
fi
echo "e2e: every deploy gated, applied and checked after apply, in ${elapsed}s"
