#!/bin/bash
# Checks the fixture model against a real Terraform: for every phase and every
# instance style, writes the configuration (baseline_hcl.py) and the state the
# phase starts from (generate_fixtures.py --seed), runs
# `terraform plan -refresh=false` offline and compares `terraform show -json`
# with the generator's plan (compare_plans.py).
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
# The state fixtures: `terraform show -json` of the raw state must give back
# cutover/state.json exactly, and must read cleanup/terraform.tfstate.
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
(cd "$dir" && terraform show -json cutover.tfstate > cutover.json && terraform show -json "$fixtures/cleanup/terraform.tfstate" > cleanup.json)
python3 -c "import sys; sys.path.insert(0, '$tools'); import generate_fixtures as g; print(g.go_json(g.show_state(g.build('cleanup', 'cleaned'))))" > "$dir/cleanup-expected.json"
for pair in "cutover.json:$fixtures/cutover/state.json" "cleanup.json:$dir/cleanup-expected.json"; do
  if result=$(python3 "$here/compare_states.py" "$dir/${pair%%:*}" "${pair#*:}"); then
    echo "state ${pair%%.json*}: same as terraform show -json"
  else
    echo "state ${pair%%.json*}: differs"; echo "$result" | head -40; status=1
  fi
done
exit $status
