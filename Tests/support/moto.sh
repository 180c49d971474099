# shellcheck shell=bash disable=SC2154 # venv and work are set by the script that sources this file
# Sourced by Tests/evidence/record.sh and Tests/e2e/run.sh: moto and the AWS CLI at the pins
# below, in one venv both use, and a moto server on 127.0.0.1 (Tests/e2e/moto_server.py, with
# its documented workarounds) with the AWS CLI pointed at it.
#
#   venv=DIR work=DIR              the caller's: the venv, and a directory for logs and the port file
#   moto_venv LABEL                makes $venv with the pins unless it has them (needs python3 with
#                                  venv, and PyPI once); LABEL starts every line it prints
#   moto_start LABEL [OPTION...]   starts moto_server.py with OPTIONs, sets moto_pid and endpoint,
#                                  exports fake credentials and the region
#   stop_moto                      stops it (the caller traps EXIT with it)
#   aws ARGS...                    the venv's AWS CLI against it, --output json

moto_pin='moto[server]==5.2.5'
awscli_pin='awscli==1.46.3'
moto_pid=
endpoint=

moto_venv() {
  local label=$1
  if [ "$(cat "$venv/pins" 2>/dev/null)" != "$moto_pin $awscli_pin" ]; then
    echo "$label: creating $venv ($moto_pin, $awscli_pin)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python3" -m pip install --disable-pip-version-check --no-input --quiet \
      "$moto_pin" "$awscli_pin" > "$work/pip.log" 2>&1 \
      || { echo "$label: pip install failed, see $work/pip.log"; exit 1; }
    echo "$moto_pin $awscli_pin" > "$venv/pins"
  fi
}

stop_moto() {
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
    moto_pid=
  fi
}

moto_start() {
  local label=$1
  shift
  "$venv/bin/python3" "$(dirname "${BASH_SOURCE[0]}")/../e2e/moto_server.py" "$@" --port-file "$work/moto.port" \
    --parent-pid $$ > "$work/moto.log" 2>&1 < /dev/null &
  moto_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$work/moto.port" ] && break
    kill -0 "$moto_pid" 2>/dev/null || { echo "$label: moto did not start (its log, $work/moto.log):"; cat "$work/moto.log"; exit 1; }
    sleep 0.2
  done
  [ -s "$work/moto.port" ] || { echo "$label: moto did not start within 20 s, see $work/moto.log"; exit 1; }
  endpoint="http://127.0.0.1:$(cat "$work/moto.port")"
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=eu-west-2
  export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
}

aws() { "$venv/bin/aws" --endpoint-url "$endpoint" --output json "$@"; }
