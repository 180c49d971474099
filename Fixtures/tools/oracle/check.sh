#!/bin/bash
# Checks the fixture model against a real Terraform: for every phase and every
# instance style, writes the configuration (baseline_hcl.py) and the state the
# phase starts from (generate_fixtures.py --seed), runs
# `terraform plan -refresh=false` offline and compares `terraform show -json`
# with the generator's plan (compare_plans.py); then the same for the breaking
# variants baseline_hcl.py can write (VARIANT=name), and the state fixtures.
#
# Needs terraform (1.9 or later) and the hashicorp/aws 5.x provider in a
# filesystem mirror (PLUGIN_DIR, default /opt/tf-plugins); no AWS account or
# network. Not part of CI. Usage: Fixtures/tools/oracle/check.sh [WORKDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=$(dirname "$here")
work=${1:-$(mktemp -d)}
plugin_dir=${PLUGIN_DIR:-/opt/tf-plugins}
port=${STUB_PORT:-18555}
mkdir -p "$work"
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
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1
python3 "$here/secretsmanager_stub.py" "$port" &
stub=$!
trap 'kill "$stub" 2>/dev/null || true' EXIT
sleep 1
kill -0 "$stub" 2>/dev/null || { echo "the Secrets Manager stub did not start (port $port in use? set STUB_PORT)"; exit 1; }
status=0
for style in separate:baseline count:baseline_count for_each:baseline_for_each map:baseline_map; do
  export STYLE=${style%%:*}
  profile=${style##*:}
  for phase in prepare:prepared full-load:loading cutover:cutover cleanup:cleaned; do
    name=${phase%%:*}
    stage=${phase##*:}
    dir="$work/$STYLE-$name"
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 "$here/baseline_hcl.py" "$stage" "$dir"
    sed -i "s#http://127.0.0.1:18555#http://127.0.0.1:$port#" "$dir/main.tf"
    python3 "$tools/generate_fixtures.py" --profile "$profile" --seed "$name" "$dir"
    python3 "$tools/generate_fixtures.py" --profile "$profile" --baseline-plan "$name" "$dir/generated.json"
    (cd "$dir" && terraform init -input=false -no-color > init.log 2>&1 \
      && terraform plan -refresh=false -input=false -no-color -out=tfplan > plan.log 2>&1 \
      && terraform show -json tfplan > real.json) || { echo "$STYLE $name: terraform failed, see $dir"; status=1; continue; }
    if result=$(python3 "$here/compare_plans.py" "$dir/real.json" "$dir/generated.json"); then
      echo "$STYLE $name: same as Terraform ($(grep -E '^Plan:|^No changes' "$dir/plan.log"))"
    else
      echo "$STYLE $name: differs"; echo "$result" | head -40; status=1
    fi
  done
done
# The breaking variants written in the baseline profile (baseline_hcl.py
# VARIANT_EDITS): the plan Terraform makes of the variant's configuration from
# the variant's state must be the generator's.
# Entries are NAME:STAGE[:STYLE:PROFILE] (default separate:baseline).
for variant in MIG001-target-engine-15.prepare:prepared MIG002-origin-while-loading.prepare:prepared \
    MIG003-apply-immediate.prepare:prepared MIG004-writer-tier-0.prepare:prepared \
    MIG005-single-target-instance.prepare:prepared MIG006-rate-30-days.prepare:prepared \
    MIG006-rotate-immediately.prepare:prepared MIG006-cron-during-full-load.full-load:loading \
    MIG002-replica-at-cutover.cutover:cutover MIG007-source-still-protected.cleanup:cleaned \
    MIG008-target-replaced-database-name.full-load:loading MIG009-no-final-snapshot-identifier.cleanup:cleaned \
    MIG010-target-endpoint-on-source.full-load:loading:map:baseline_map \
    MIG012-worker-db-host-on-source.cutover:cutover MIG012-old-endpoint-output.cutover:cutover \
    MIG012-engine-version-from-source.cutover:cutover \
    MIG010-migration-type-full-load.full-load:loading:map:baseline_map \
    MIG013-policy-grants-old-secret.cutover:cutover MIG011-dms-module-kept.cleanup:cleaned:map:baseline_map \
    dms-destroyed-while-loading.full-load:loading origin-before-switch.full-load:loading \
    first-cleanup-deploy.cleanup:cutover; do
  IFS=: read -r name stage style profile <<< "$variant"
  export STYLE=${style:-separate}
  profile=${profile:-baseline}
  phase=${name##*.}
  dir="$work/variant-$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  VARIANT=$name python3 "$here/baseline_hcl.py" "$stage" "$dir"
  sed -i "s#http://127.0.0.1:18555#http://127.0.0.1:$port#" "$dir/main.tf"
  python3 "$tools/generate_fixtures.py" --profile "$profile" --variant "$name" --seed "$phase" "$dir"
  python3 "$tools/generate_fixtures.py" --profile "$profile" --variant "$name" --baseline-plan "$phase" "$dir/generated.json"
  (cd "$dir" && terraform init -input=false -no-color > init.log 2>&1 \
    && terraform plan -refresh=false -input=false -no-color -out=tfplan > plan.log 2>&1 \
    && terraform show -json tfplan > real.json) || { echo "variant $name: terraform failed, see $dir"; status=1; continue; }
  if result=$(python3 "$here/compare_plans.py" "$dir/real.json" "$dir/generated.json"); then
    echo "variant $name: same as Terraform ($(grep -E '^Plan:|^No changes' "$dir/plan.log"))"
  else
    echo "variant $name: differs"; echo "$result" | head -40; status=1
  fi
done
# The state fixtures: `terraform show -json` of the raw state must give back
# cutover/state.json and the state variant exactly, and must read the raw
# terraform.tfstate fixtures (giving what the generator's show_state writes).
fixtures=$(dirname "$tools")
dir="$work/states"
rm -rf "$dir"
mkdir -p "$dir"
cat > "$dir/main.tf" <<TF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.70" }
  }
}
TF
(cd "$dir" && terraform init -input=false -no-color > init.log 2>&1)
python3 "$tools/generate_fixtures.py" --raw-state cutover cutover "$dir/cutover.tfstate"
variant=MIG002-replica-after-cutover.cutover
python3 "$tools/generate_fixtures.py" --variant "$variant" --raw-state cutover cutover "$dir/variant-state.tfstate"
(cd "$dir" && terraform show -json cutover.tfstate > cutover.json && terraform show -json variant-state.tfstate > variant-state.json \
  && terraform show -json "$fixtures/cleanup/terraform.tfstate" > cleanup.json \
  && terraform show -json "$fixtures/rules/MIG011-dms-module-kept.cleanup.tfstate" > variant-tfstate.json)
python3 -c "import sys; sys.path.insert(0, '$tools'); import generate_fixtures as g; print(g.go_json(g.show_state(g.build('cleanup', 'cleaned'))))" > "$dir/cleanup-expected.json"
python3 -c "import sys; sys.path.insert(0, '$tools'); import generate_fixtures as g, breaking as b; print(g.go_json(g.show_state(g.build('cleanup', 'cleaned', variant=b.by_name('rules/MIG011-dms-module-kept.cleanup.tfstate').knobs))))" > "$dir/variant-tfstate-expected.json"
for pair in "cutover.json:$fixtures/cutover/state.json" "cleanup.json:$dir/cleanup-expected.json" \
    "variant-state.json:$fixtures/rules/$variant.state.json" "variant-tfstate.json:$dir/variant-tfstate-expected.json"; do
  if result=$(python3 "$here/compare_states.py" "$dir/${pair%%:*}" "${pair#*:}"); then
    echo "state ${pair%%.json*}: same as terraform show -json"
  else
    echo "state ${pair%%.json*}: differs"; echo "$result" | head -40; status=1
  fi
done
exit $status
