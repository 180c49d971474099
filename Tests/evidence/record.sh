#!/usr/bin/env bash
# Records readiness evidence with the real AWS CLI against a local moto server:
# Fixtures/evidence/<scenario>/<command>.json, exactly as `aws ... --output json` prints it,
# then normalised (Tests/evidence/normalise.py: moto's random IDs and the clock made
# deterministic) and checked against botocore's output shapes (validate_shapes.py).
#
#   Tests/evidence/record.sh            OUT=DIR to write elsewhere (default Fixtures/evidence)
#
# The resources are created with AWS CLI create calls, named as examples/aurora-dms-migration
# names them for environment "production" (app-production-aurora, app-production-core,
# app-production-dms-migration, ...), not by applying the example with Terraform: the
# describe calls answer from moto's models either way, so the shapes are the same, and this
# takes seconds where the Terraform deploys up to cutover take minutes (Tests/e2e/run.sh).
#
# Scenarios recorded as moto answers them (after the runbook's step):
#   cutover-gate   task started (running), both clusters up, the source snapshot taken
#   cleanup-gate   the same after the task was stopped
# Scenarios edited from those for states moto cannot simulate (Tests/evidence/variants.py,
# each edit listed in Fixtures/evidence/README.md): cutover-ready, pending-reboot,
# errored-tables, failed-task.
#
# Needs python3 with venv and PyPI once, for the pins of Tests/support/moto.sh (the venv
# Tests/e2e/run.sh uses).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${OUT:-$root/Fixtures/evidence}
venv=$root/.build/e2e-venv
work=$(mktemp -d)
# shellcheck source=Tests/support/moto.sh
source "$root/Tests/support/moto.sh"
moto_venv evidence
trap 'stop_moto; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
moto_start evidence

quiet() { aws "$@" > /dev/null; }

name=app-production
# ---------------------------------------------------------------- network (DMS subnet group)
vpc=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)
subnet_a=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 --availability-zone eu-west-2a \
  --query Subnet.SubnetId --output text)
subnet_b=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 --availability-zone eu-west-2b \
  --query Subnet.SubnetId --output text)

# ---------------------------------------------------------------- parameter groups
quiet rds create-db-cluster-parameter-group --db-cluster-parameter-group-name "$name-logical-replication" \
  --db-parameter-group-family aurora-postgresql16 --description "Logical replication for DMS"
quiet rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name "$name-logical-replication" \
  --parameters ParameterName=rds.logical_replication,ParameterValue=1,ApplyMethod=pending-reboot
quiet rds create-db-cluster-parameter-group --db-cluster-parameter-group-name "$name-core-disable-constraints" \
  --db-parameter-group-family aurora-postgresql16 --description "Custom parameter group for Aurora PostgreSQL cluster"
quiet rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name "$name-core-disable-constraints" \
  --parameters ParameterName=session_replication_role,ParameterValue=replica,ApplyMethod=immediate

# ---------------------------------------------------------------- clusters and instances
cluster() {  # IDENTIFIER GROUP
  quiet rds create-db-cluster --db-cluster-identifier "$1" --engine aurora-postgresql --engine-version 16.4 \
    --database-name app --master-username postgres --manage-master-user-password --deletion-protection \
    --db-cluster-parameter-group-name "$2" --storage-encrypted
}
instance() {  # IDENTIFIER CLUSTER TIER
  quiet rds create-db-instance --db-instance-identifier "$1" --db-cluster-identifier "$2" \
    --engine aurora-postgresql --db-instance-class db.r6g.large --promotion-tier "$3"
}
cluster "$name-aurora" "$name-logical-replication"
instance "$name-aurora-1" "$name-aurora" 0
instance "$name-aurora-2" "$name-aurora" 1
cluster "$name-core" "$name-core-disable-constraints"
instance "$name-core-primary-1" "$name-core" 1
instance "$name-core-primary-2" "$name-core" 1
source_secret=$(aws rds describe-db-clusters --db-cluster-identifier "$name-aurora" \
  --query 'DBClusters[0].MasterUserSecret.SecretArn' --output text)
target_secret=$(aws rds describe-db-clusters --db-cluster-identifier "$name-core" \
  --query 'DBClusters[0].MasterUserSecret.SecretArn' --output text)
# The migration's rotation window (docs: 400 days for the target, the source far enough out).
# Secrets Manager's dates are whole seconds: one second apart, so the two rotations never share
# an instant (normalise.py ranks distinct instants; a shared one would shift every later time).
sleep 1.1
quiet secretsmanager rotate-secret --secret-id "$target_secret" --rotation-rules 'ScheduleExpression=rate(400 days)'
sleep 1.1
quiet secretsmanager rotate-secret --secret-id "$source_secret" --rotation-rules 'ScheduleExpression=rate(400 days)'
sleep 1.1

# ---------------------------------------------------------------- the runbook's snapshot
quiet rds create-db-cluster-snapshot --db-cluster-identifier "$name-aurora" \
  --db-cluster-snapshot-identifier "$name-aurora-before-migration"

# ---------------------------------------------------------------- DMS
role=arn:aws:iam::123456789012:role/$name-dms-secrets-access
quiet dms create-replication-subnet-group --replication-subnet-group-identifier "$name-dms" \
  --replication-subnet-group-description "DMS replication subnet group" --subnet-ids "$subnet_a" "$subnet_b"
instance_arn=$(aws dms create-replication-instance --replication-instance-identifier "$name-dms" \
  --replication-instance-class dms.r5.large --allocated-storage 100 --engine-version 3.5.3 --no-multi-az \
  --no-publicly-accessible --replication-subnet-group-identifier "$name-dms" \
  --query ReplicationInstance.ReplicationInstanceArn --output text)
endpoint_arn() {  # ID TYPE SECRET
  aws dms create-endpoint --endpoint-identifier "$1" --endpoint-type "$2" --engine-name aurora-postgresql \
    --database-name app --ssl-mode require \
    --postgre-sql-settings "SecretsManagerAccessRoleArn=$role,SecretsManagerSecretId=$3" \
    --query Endpoint.EndpointArn --output text
}
source_endpoint=$(endpoint_arn "$name-source" source "$source_secret")
target_endpoint=$(endpoint_arn "$name-target" target "$target_secret")
mappings='{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"include-public","rule-action":"include","object-locator":{"schema-name":"public","table-name":"%"}}]}'
task=$(aws dms create-replication-task --replication-task-identifier "$name-migration" \
  --migration-type full-load-and-cdc --replication-instance-arn "$instance_arn" \
  --source-endpoint-arn "$source_endpoint" --target-endpoint-arn "$target_endpoint" \
  --table-mappings "$mappings" --query ReplicationTask.ReplicationTaskArn --output text)
quiet dms describe-replication-tasks  # moto_server.py: a created task is ready once described
quiet dms start-replication-task --replication-task-arn "$task" --start-replication-task-type start-replication

# ---------------------------------------------------------------- recording
# record SCENARIO: every command's JSON answer (or, when the CLI fails, its error text in
# COMMAND.error.txt: moto 5.2.5 has no DescribeTableStatistics, for one).
record() {
  local dir=$work/raw/$1 command
  mkdir -p "$dir"
  run() {
    command=$1
    shift
    if ! aws "$@" > "$dir/$command.json" 2> "$dir/$command.err"; then
      mv "$dir/$command.err" "$dir/$command.error.txt"
      rm -f "$dir/$command.json"
    else
      rm -f "$dir/$command.err"
    fi
  }
  run describe-db-clusters rds describe-db-clusters --db-cluster-identifier "$name-aurora"
  run describe-db-clusters.target rds describe-db-clusters --db-cluster-identifier "$name-core"
  run describe-db-instances rds describe-db-instances --filters "Name=db-cluster-id,Values=$name-aurora,$name-core"
  run describe-db-cluster-parameters rds describe-db-cluster-parameters \
    --db-cluster-parameter-group-name "$name-logical-replication" --source user
  run describe-db-cluster-parameters.target rds describe-db-cluster-parameters \
    --db-cluster-parameter-group-name "$name-core-disable-constraints" --source user
  run describe-db-cluster-snapshots rds describe-db-cluster-snapshots --db-cluster-identifier "$name-aurora" \
    --snapshot-type manual
  run describe-replication-tasks dms describe-replication-tasks \
    --filters "Name=replication-task-arn,Values=$task" --without-settings
  run describe-table-statistics dms describe-table-statistics --replication-task-arn "$task"
  run describe-endpoints dms describe-endpoints --filters "Name=endpoint-arn,Values=$source_endpoint,$target_endpoint"
  run describe-secret secretsmanager describe-secret --secret-id "$target_secret"
  run describe-secret.source secretsmanager describe-secret --secret-id "$source_secret"
}
record cutover-gate
quiet dms stop-replication-task --replication-task-arn "$task"
record cleanup-gate
stop_moto

"$venv/bin/python3" "$here/normalise.py" "$work/raw" "$out"
"$venv/bin/python3" "$here/variants.py" "$out"
"$venv/bin/python3" "$here/validate_shapes.py" "$out"
echo "evidence: recorded into $out"
