#!/usr/bin/env python3
"""Writes the Terraform configuration the fixture model describes (baseline names).

    python3 baseline_hcl.py STAGE DIR        STAGE: initial prepared loading cutover cleaned

STYLE (environment) chooses how the source and target instances are written:
separate (default), count or for_each, matching the generator's profiles
baseline, baseline_count and baseline_for_each; STYLE=map keeps separate
instances but writes the DMS module with for_each endpoints and tasks
(profile baseline_map). Only for check.sh: the
provider block points Secrets Manager at the local stub and skips every
credential check, so `terraform plan -refresh=false` runs without AWS.
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STYLE = os.environ.get("STYLE", "separate")
SRC_SEPARATE = """resource "aws_rds_cluster_instance" "aurora_instance" {
  identifier           = "${local.name_prefix}-aurora-1"
  cluster_identifier   = aws_rds_cluster.aurora_cluster.id
  instance_class       = "db.r6g.large"
  engine               = aws_rds_cluster.aurora_cluster.engine
  engine_version       = aws_rds_cluster.aurora_cluster.engine_version
  db_subnet_group_name = aws_db_subnet_group.aurora_subnet_group.name
}

resource "aws_rds_cluster_instance" "old_read_replica" {
  identifier           = "${local.name_prefix}-aurora-2"
  cluster_identifier   = aws_rds_cluster.aurora_cluster.id
  instance_class       = "db.r6g.large"
  engine               = aws_rds_cluster.aurora_cluster.engine
  engine_version       = aws_rds_cluster.aurora_cluster.engine_version
  db_subnet_group_name = aws_db_subnet_group.aurora_subnet_group.name
}
"""
SRC_COUNT = """resource "aws_rds_cluster_instance" "aurora_instance" {
  count                = 2
  identifier           = "${local.name_prefix}-aurora-${count.index + 1}"
  cluster_identifier   = aws_rds_cluster.aurora_cluster.id
  instance_class       = "db.r6g.large"
  engine               = aws_rds_cluster.aurora_cluster.engine
  engine_version       = aws_rds_cluster.aurora_cluster.engine_version
  db_subnet_group_name = aws_db_subnet_group.aurora_subnet_group.name
}
"""
SRC_FOR_EACH = """resource "aws_rds_cluster_instance" "aurora_instance" {
  for_each             = { node1 = 1, node2 = 2 }
  identifier           = "${local.name_prefix}-aurora-${each.value}"
  cluster_identifier   = aws_rds_cluster.aurora_cluster.id
  instance_class       = "db.r6g.large"
  engine               = aws_rds_cluster.aurora_cluster.engine
  engine_version       = aws_rds_cluster.aurora_cluster.engine_version
  db_subnet_group_name = aws_db_subnet_group.aurora_subnet_group.name
}
"""
SRC_INSTANCES = {"separate": SRC_SEPARATE, "map": SRC_SEPARATE, "count": SRC_COUNT,
                 "for_each": SRC_FOR_EACH}[STYLE]
MODULE_ARGS_SEPARATE = '  source_server_name    = aws_rds_cluster.aurora_cluster.endpoint\n  source_database_name  = aws_rds_cluster.aurora_cluster.database_name\n  source_username       = aws_rds_cluster.aurora_cluster.master_username\n  source_password       = var.db_password\n  target_server_name    = aws_rds_cluster.core.endpoint\n  target_database_name  = aws_rds_cluster.core.database_name\n  target_username       = aws_rds_cluster.core.master_username\n  target_password       = jsondecode(data.aws_secretsmanager_secret_version.target_db.secret_string)["password"]\n'
MODULE_ARGS_MAP = """  endpoints = {
    source = {
      server_name   = aws_rds_cluster.aurora_cluster.endpoint
      database_name = aws_rds_cluster.aurora_cluster.database_name
      username      = aws_rds_cluster.aurora_cluster.master_username
      password      = var.db_password
    }
    target = {
      server_name   = aws_rds_cluster.core.endpoint
      database_name = aws_rds_cluster.core.database_name
      username      = aws_rds_cluster.core.master_username
      password      = jsondecode(data.aws_secretsmanager_secret_version.target_db.secret_string)["password"]
    }
  }
"""
if STYLE == "map":
    MODULE_ARGS, TASK_OUTPUT, DMS_MODULE = MODULE_ARGS_MAP, 'replication_task_arns["migration"]', "module_dms_map.tf"
    START_ARGS = """  replication_tasks = {
    migration = {
      migration_type         = "full-load-and-cdc"
      start_replication_task = true
    }
  }
"""
else:
    MODULE_ARGS, TASK_OUTPUT, DMS_MODULE = MODULE_ARGS_SEPARATE, "replication_task_arn", "module_dms.tf"
    START_ARGS = "  start_replication_task = true\n"
stage = sys.argv[1]; out = sys.argv[2]
order = ["initial", "prepared", "loading", "cutover", "cleaned"]
i = order.index(stage)
prepared = 1 <= i < 4
loading = i >= 2
cutover = i >= 3
cleaned = i >= 4
protected = True  # turned off by hand after the cutover (the generator's refresh)
# The MIG011 variant: the cleanup keeps the DMS module, the source's host through a variable.
dms_kept = cleaned and os.environ.get("VARIANT") == "MIG011-dms-module-kept.cleanup"
if dms_kept:
    MODULE_ARGS = (MODULE_ARGS
                   .replace("  source_server_name    = aws_rds_cluster.aurora_cluster.endpoint\n",
                            "  source_server_name    = var.legacy_db_host\n")
                   .replace("  source_database_name  = aws_rds_cluster.aurora_cluster.database_name\n",
                            '  source_database_name  = "manage_vaccinations"\n')
                   .replace("  source_username       = aws_rds_cluster.aurora_cluster.master_username\n",
                            '  source_username       = "postgres"\n')
                   .replace("      server_name   = aws_rds_cluster.aurora_cluster.endpoint\n",
                            "      server_name   = var.legacy_db_host\n")
                   .replace("      database_name = aws_rds_cluster.aurora_cluster.database_name\n",
                            '      database_name = "manage_vaccinations"\n')
                   .replace("      username      = aws_rds_cluster.aurora_cluster.master_username\n",
                            '      username      = "postgres"\n'))
os.makedirs(os.path.join(out, "modules/dms"), exist_ok=True)
P = []
P.append('''terraform {
  required_version = "~> 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }
}

provider "aws" {
  region                      = "eu-west-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    secretsmanager = "http://127.0.0.1:18555"
  }
  default_tags {
    tags = {
      Environment = var.environment
      Project     = "mavis"
      ManagedBy   = "terraform"
    }
  }
}

variable "environment" {
  type        = string
  description = "Deployment environment"
}
''')
if not cleaned or dms_kept:
    P.append('''variable "db_password" {
  type        = string
  sensitive   = true
  description = "Master password of the source Aurora cluster"
}
''')
if dms_kept:
    P.append('''variable "legacy_db_host" {
  type        = string
  description = "Host name of the old Aurora cluster (DMS source endpoint)"
}

data "aws_secretsmanager_secret_version" "target_db" {
  secret_id = aws_rds_cluster.core.master_user_secret[0].secret_arn
}
''')
P.append('''variable "rails_master_key" {
  type      = string
  sensitive = true
}
variable "docker_image" {
  type        = string
  description = "Image the ECS services run"
}
variable "blue_target_group_arn" {
  type        = string
  description = "Target group CodeDeploy shifts the web service's traffic to"
}

locals {
  name_prefix = "mavis-${var.environment}"
  azs         = ["eu-west-2a", "eu-west-2b"]
  core_instances = {
    "primary-1" = { identifier = "mavis-production-core-1", availability_zone = "eu-west-2a" }
    "primary-2" = { identifier = "mavis-production-core-2", availability_zone = "eu-west-2b" }
  }
}

resource "aws_vpc" "application_vpc" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
  tags = {
    Name = "${local.name_prefix}-vpc"
  }
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.application_vpc.id
  cidr_block        = "10.0.${count.index + 10}.0/24"
  availability_zone = local.azs[count.index]
  tags = {
    Name = "${local.name_prefix}-private-${count.index}"
  }
}

resource "aws_security_group" "rds_security_group" {
  name        = "${local.name_prefix}-rds"
  description = "Aurora access from the ECS services"
  vpc_id      = aws_vpc.application_vpc.id
}

resource "aws_security_group_rule" "ecs_to_rds" {
  type                     = "ingress"
  description              = "ECS services to Aurora"
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  security_group_id        = aws_security_group.rds_security_group.id
  source_security_group_id = aws_security_group.ecs_service_sg.id
}

resource "aws_security_group" "ecs_service_sg" {
  name        = "${local.name_prefix}-ecs-service"
  description = "ECS services"
  vpc_id      = aws_vpc.application_vpc.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_subnet_group" "aurora_subnet_group" {
  name       = "${local.name_prefix}-db"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_s3_bucket" "logs" {
  bucket = "${local.name_prefix}-access-logs"
}

resource "aws_cloudwatch_log_group" "ecs_log_group" {
  name              = "/ecs/${local.name_prefix}"
  retention_in_days = %d
}

resource "aws_ecs_cluster" "cluster" {
  name = local.name_prefix
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_iam_role" "ecs_task_execution_role" {
  name = "${local.name_prefix}-ecs-task-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}
''' % (90 if loading else 30))
if not cleaned:
    P.append('''resource "aws_ssm_parameter" "db_password" {
  name  = "/${local.name_prefix}/db-password"
  type  = "SecureString"
  value = var.db_password
}
''')
P.append('''resource "aws_ssm_parameter" "rails_master_key" {
  name  = "/${local.name_prefix}/rails-master-key"
  type  = "SecureString"
  value = var.rails_master_key
}

data "aws_iam_policy_document" "ecs_secrets_access" {
  statement {
    sid       = "ReadParameters"
    actions   = ["ssm:GetParameters"]
    resources = [%s]
  }
%s}

resource "aws_iam_policy" "ecs_secrets_access" {
  name   = "${local.name_prefix}-ecs-secrets-access"
  policy = data.aws_iam_policy_document.ecs_secrets_access.json
}

resource "aws_iam_role_policy_attachment" "ecs_secrets_access" {
  role       = aws_iam_role.ecs_task_execution_role.name
  policy_arn = aws_iam_policy.ecs_secrets_access.arn
}
''' % ("aws_ssm_parameter.rails_master_key.arn" if cleaned else "aws_ssm_parameter.db_password.arn, aws_ssm_parameter.rails_master_key.arn",
       '''  statement {
    sid       = "ReadTargetDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_rds_cluster.core.master_user_secret[0].secret_arn]
  }
''' if i >= 1 else ""))
if not cleaned:
    if prepared:
        P.append('''resource "aws_rds_cluster_parameter_group" "migration_source" {
  name        = "${var.environment}-custom"
  family      = "aurora-postgresql16"
  description = "Custom parameter group for Aurora PostgreSQL cluster"
  parameter {
    name         = "rds.logical_replication"
    value        = 1
    apply_method = "pending-reboot"
  }
  parameter {
    name         = "max_wal_senders"
    value        = 20
    apply_method = "pending-reboot"
  }
}
''')
    P.append('''resource "aws_rds_cluster" "aurora_cluster" {
  cluster_identifier              = "${local.name_prefix}-aurora"
  engine                          = "aurora-postgresql"
  engine_mode                     = "provisioned"
  engine_version                  = "16.4"
  database_name                   = "manage_vaccinations"
  master_username                 = "postgres"
  master_password                 = var.db_password
  db_subnet_group_name            = aws_db_subnet_group.aurora_subnet_group.name
  db_cluster_parameter_group_name = %s
  vpc_security_group_ids          = [aws_security_group.rds_security_group.id]
  storage_encrypted               = true
  backup_retention_period         = 7
  preferred_backup_window         = "01:00-02:00"
  deletion_protection             = %s
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${local.name_prefix}-aurora-final"
}

%s''' % ("aws_rds_cluster_parameter_group.migration_source.name" if prepared else '"default.aurora-postgresql16"',
       "true" if protected else "false", SRC_INSTANCES))
if i >= 1:
    P.append('''resource "aws_rds_cluster_parameter_group" "migration_target" {
  name        = "${var.environment}-disable-constraints"
  family      = "aurora-postgresql16"
  description = "Custom parameter group for Aurora PostgreSQL cluster"
  parameter {
    name         = "session_replication_role"
    value        = "%s"
    apply_method = "immediate"
  }
}

resource "aws_rds_cluster" "core" {
  cluster_identifier              = "${local.name_prefix}-core"
  engine                          = "aurora-postgresql"
  engine_mode                     = "provisioned"
  engine_version                  = %s
  database_name                   = "manage_vaccinations"
  master_username                 = "postgres"
  manage_master_user_password     = true
  db_subnet_group_name            = aws_db_subnet_group.aurora_subnet_group.name
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.migration_target.name
  vpc_security_group_ids          = [aws_security_group.rds_security_group.id]
  storage_encrypted               = true
  backup_retention_period         = 7
  preferred_backup_window         = "01:00-02:00"
  enabled_cloudwatch_logs_exports = ["postgresql"]
  deletion_protection             = true
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${local.name_prefix}-core-final"
  apply_immediately               = true
}

resource "aws_rds_cluster_instance" "core" {
  for_each             = local.core_instances
  identifier           = each.value.identifier
  cluster_identifier   = aws_rds_cluster.core.id
  instance_class       = "db.r6g.large"
  engine               = aws_rds_cluster.core.engine
  engine_version       = aws_rds_cluster.core.engine_version
  availability_zone    = each.value.availability_zone
  promotion_tier       = 1
  publicly_accessible  = false
  db_subnet_group_name = aws_db_subnet_group.aurora_subnet_group.name
}

resource "aws_secretsmanager_secret_rotation" "target" {
  secret_id          = aws_rds_cluster.core.master_user_secret[0].secret_arn
  rotate_immediately = false
  rotation_rules {
    schedule_expression = "%s"
  }
}
''' % ("origin" if cutover else "replica", '"16.4"' if cutover else "aws_rds_cluster.aurora_cluster.engine_version",
       "cron(0 8 ? * WED *)" if cleaned else "rate(400 days)"))
if prepared:
    P.append('''data "aws_secretsmanager_secret_version" "target_db" {
  secret_id = aws_rds_cluster.core.master_user_secret[0].secret_arn
}

resource "aws_security_group" "schema_prep" {
  name        = "${local.name_prefix}-prepare-new-db"
  description = "Schema preparation task for the target database"
  vpc_id      = aws_vpc.application_vpc.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "schema_prep_to_target_db" {
  type                     = "ingress"
  description              = "Schema preparation task to the target database"
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  security_group_id        = aws_security_group.rds_security_group.id
  source_security_group_id = aws_security_group.schema_prep.id
}

resource "aws_ecs_task_definition" "schema_prep" {
  family                   = "${local.name_prefix}-prepare_new_db"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.ecs_task_execution_role.arn
  task_role_arn            = aws_iam_role.ecs_task_execution_role.arn
  container_definitions = jsonencode([{
    name      = "${local.name_prefix}-prepare_new_db"
    image     = var.docker_image
    essential = true
    environment = [
      { name = "DB_HOST", value = aws_rds_cluster.core.endpoint },
      { name = "DB_NAME", value = aws_rds_cluster.core.database_name },
      { name = "SERVER_TYPE", value = "none" },
    ]
    secrets = [
      { name = "DB_CREDENTIALS", valueFrom = aws_rds_cluster.core.master_user_secret[0].secret_arn },
      { name = "RAILS_MASTER_KEY", valueFrom = aws_ssm_parameter.rails_master_key.arn },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.ecs_log_group.name
        awslogs-region        = "eu-west-2"
        awslogs-stream-prefix = "prepare_new_db"
      }
    }
  }])
}

resource "aws_ecs_service" "schema_prep" {
  name                   = "${local.name_prefix}-prepare_new_db"
  cluster                = aws_ecs_cluster.cluster.id
  task_definition        = aws_ecs_task_definition.schema_prep.arn
  desired_count          = 1
  launch_type            = "FARGATE"
  enable_execute_command = true
  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.schema_prep.id]
  }
}
''')
db = "core" if cutover else "aurora_cluster"
pw = ('{ name = "DB_CREDENTIALS", valueFrom = aws_rds_cluster.core.master_user_secret[0].secret_arn }' if cutover
      else '{ name = "DB_PASSWORD", valueFrom = aws_ssm_parameter.db_password.arn }')
for role, name, stype, port in (("web", "web", "web", True), ("good_job", "good-job", "good-job", False)):
    P.append('''resource "aws_ecs_task_definition" "%(role)s" {
  family                   = "${local.name_prefix}-%(name)s"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.ecs_task_execution_role.arn
  task_role_arn            = aws_iam_role.ecs_task_execution_role.arn
  container_definitions = jsonencode([{
    name      = "${local.name_prefix}-%(name)s"
    image     = var.docker_image
    essential = true
%(ports)s    environment = [
      { name = "DB_HOST", value = aws_rds_cluster.%(db)s.endpoint },
      { name = "DB_NAME", value = aws_rds_cluster.%(db)s.database_name },
      { name = "SERVER_TYPE", value = "%(stype)s" },
    ]
    secrets = [
      %(pw)s,
      { name = "RAILS_MASTER_KEY", valueFrom = aws_ssm_parameter.rails_master_key.arn },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.ecs_log_group.name
        awslogs-region        = "eu-west-2"
        awslogs-stream-prefix = "%(role)s"
      }
    }
  }])
}
''' % dict(role=role, name=name, stype=stype, db=db, pw=pw,
           ports='    portMappings = [{ containerPort = 4000, hostPort = 4000, protocol = "tcp" }]\n' if port else ""))
P.append('''resource "aws_ecs_service" "web" {
  name                   = "${local.name_prefix}-web"
  cluster                = aws_ecs_cluster.cluster.id
  task_definition        = aws_ecs_task_definition.web.arn
  desired_count          = 2
  launch_type            = "FARGATE"
  enable_execute_command = true
  deployment_controller {
    type = "CODE_DEPLOY"
  }
  load_balancer {
    target_group_arn = var.blue_target_group_arn
    container_name   = "${local.name_prefix}-web"
    container_port   = 4000
  }
  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.ecs_service_sg.id]
  }
  lifecycle {
    ignore_changes = [task_definition, load_balancer]
  }
}

resource "aws_ecs_service" "good_job" {
  name                   = "${local.name_prefix}-good-job"
  cluster                = aws_ecs_cluster.cluster.id
  task_definition        = aws_ecs_task_definition.good_job.arn
  desired_count          = 2
  launch_type            = "FARGATE"
  enable_execute_command = true
  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.ecs_service_sg.id]
  }
}

output "application_database_endpoint" {
  value = aws_rds_cluster.%s.endpoint
}
''' % db)
if not cutover:
    P.append('''output "source_cluster_endpoint" {
  value = aws_rds_cluster.aurora_cluster.endpoint
}
''')
if i >= 1:
    P.append('''output "target_cluster_endpoint" {
  value = aws_rds_cluster.core.endpoint
}
''')
# inference/dms-destroyed-while-loading: the full-load deploy removes the DMS module.
dms_gone = loading and os.environ.get("VARIANT") == "dms-destroyed-while-loading.full-load"
if (prepared and not dms_gone) or dms_kept:
    P.append('''output "dms_replication_task_arn" {
  value = module.dms_migration.%s
}

module "dms_migration" {
  source                = "./modules/dms"
  environment           = var.environment
  vpc_id                = aws_vpc.application_vpc.id
  subnet_ids            = aws_subnet.private[*].id
  rds_security_group_id = aws_security_group.rds_security_group.id
%s%s}
''' % (TASK_OUTPUT, MODULE_ARGS, START_ARGS if loading else ""))
text = "\n".join(P)
if STYLE == "count":
    text = text.replace(
        '  for_each             = local.core_instances\n  identifier           = each.value.identifier',
        '  count                = 2\n  identifier           = "${local.name_prefix}-core-${count.index + 1}"')
    text = text.replace("  availability_zone    = each.value.availability_zone",
                        "  availability_zone    = local.azs[count.index]")
# Breaking variants (../breaking.py) written in the baseline profile: the same
# configuration with the one change each makes (VARIANT=its name).
CORE_INSTANCES = '''    "primary-1" = { identifier = "mavis-production-core-1", availability_zone = "eu-west-2a" }
    "primary-2" = { identifier = "mavis-production-core-2", availability_zone = "eu-west-2b" }
'''
VARIANT_EDITS = {
    "MIG001-target-engine-15.prepare": [
        ("  engine_version                  = aws_rds_cluster.aurora_cluster.engine_version\n",
         '  engine_version                  = "15.4"\n')],
    "MIG002-origin-while-loading.prepare": [
        ('    name         = "session_replication_role"\n    value        = "replica"',
         '    name         = "session_replication_role"\n    value        = "origin"')],
    "MIG003-apply-immediate.prepare": [
        ('    name         = "rds.logical_replication"\n    value        = 1\n    apply_method = "pending-reboot"',
         '    name         = "rds.logical_replication"\n    value        = 1\n    apply_method = "immediate"')],
    "MIG004-writer-tier-0.prepare": [
        (CORE_INSTANCES, CORE_INSTANCES.replace('availability_zone = "eu-west-2a" }', 'availability_zone = "eu-west-2a", promotion_tier = 0 }')
                                       .replace('availability_zone = "eu-west-2b" }', 'availability_zone = "eu-west-2b", promotion_tier = 1 }')),
        ("  promotion_tier       = 1\n", "  promotion_tier       = each.value.promotion_tier\n")],
    "MIG005-single-target-instance.prepare": [
        (CORE_INSTANCES, CORE_INSTANCES.splitlines(keepends=True)[0])],
    "MIG006-rate-30-days.prepare": [
        ('    schedule_expression = "rate(400 days)"', '    schedule_expression = "rate(30 days)"')],
    "MIG006-rotate-immediately.prepare": [
        ("  rotate_immediately = false\n", "  rotate_immediately = true\n")],
    "MIG006-cron-during-full-load.full-load": [
        ('    schedule_expression = "rate(400 days)"', '    schedule_expression = "cron(0 8 ? * WED *)"')],
    "MIG002-replica-at-cutover.cutover": [
        ('    name         = "session_replication_role"\n    value        = "origin"',
         '    name         = "session_replication_role"\n    value        = "replica"')],
    # Only the state differs (the cleanup's source is not in the configuration).
    "MIG007-source-still-protected.cleanup": [],
    "MIG009-no-final-snapshot-identifier.cleanup": [],
    # STYLE=map (profile baseline_map): the endpoints map's target entry.
    "MIG010-target-endpoint-on-source.full-load": [
        ("      server_name   = aws_rds_cluster.core.endpoint\n",
         "      server_name   = aws_rds_cluster.aurora_cluster.endpoint\n")],
    "MIG012-worker-db-host-on-source.cutover": [
        ('      { name = "DB_HOST", value = aws_rds_cluster.core.endpoint },\n'
         '      { name = "DB_NAME", value = aws_rds_cluster.core.database_name },\n'
         '      { name = "SERVER_TYPE", value = "good-job" },',
         '      { name = "DB_HOST", value = aws_rds_cluster.aurora_cluster.endpoint },\n'
         '      { name = "DB_NAME", value = aws_rds_cluster.aurora_cluster.database_name },\n'
         '      { name = "SERVER_TYPE", value = "good-job" },')],
    "MIG012-old-endpoint-output.cutover": [
        ('output "target_cluster_endpoint" {',
         'output "source_cluster_endpoint" {\n  value = aws_rds_cluster.aurora_cluster.endpoint\n}\n\n'
         'output "target_cluster_endpoint" {')],
    "MIG012-engine-version-from-source.cutover": [
        ('  engine_version                  = "16.4"\n  database_name                   = "manage_vaccinations"\n'
         '  master_username                 = "postgres"\n  manage_master_user_password',
         '  engine_version                  = aws_rds_cluster.aurora_cluster.engine_version\n'
         '  database_name                   = "manage_vaccinations"\n'
         '  master_username                 = "postgres"\n  manage_master_user_password')],
    # STYLE=map (profile baseline_map): the replication_tasks map.
    "MIG010-migration-type-full-load.full-load": [
        ('      migration_type         = "full-load-and-cdc"\n', '      migration_type         = "full-load"\n')],
    "MIG013-policy-grants-old-secret.cutover": [
        ("  master_password                 = var.db_password\n", "  manage_master_user_password     = true\n"),
        ('    sid       = "ReadTargetDatabaseSecret"\n    actions   = ["secretsmanager:GetSecretValue"]\n'
         '    resources = [aws_rds_cluster.core.master_user_secret[0].secret_arn]',
         '    sid       = "ReadDatabaseSecret"\n    actions   = ["secretsmanager:GetSecretValue"]\n'
         '    resources = [aws_rds_cluster.aurora_cluster.master_user_secret[0].secret_arn]'),
        ('resource "aws_secretsmanager_secret_rotation" "target" {',
         'resource "aws_secretsmanager_secret_rotation" "aurora_cluster" {\n'
         '  secret_id          = aws_rds_cluster.aurora_cluster.master_user_secret[0].secret_arn\n'
         '  rotate_immediately = false\n  rotation_rules {\n    schedule_expression = "rate(400 days)"\n  }\n}\n\n'
         'resource "aws_secretsmanager_secret_rotation" "target" {')],
    # Written above (dms_kept): the module call, its variables and the secret it reads.
    "MIG011-dms-module-kept.cleanup": [],
    # The deploys of inference/ (breaking.INFERENCE).
    "dms-destroyed-while-loading.full-load": [],  # written above (dms_gone)
    "origin-before-switch.full-load": [
        ('    name         = "session_replication_role"\n    value        = "replica"',
         '    name         = "session_replication_role"\n    value        = "origin"')],
    "first-cleanup-deploy.cleanup": [
        ('  deletion_protection             = true\n  skip_final_snapshot             = false\n'
         '  final_snapshot_identifier       = "${local.name_prefix}-aurora-final"',
         '  deletion_protection             = false\n  skip_final_snapshot             = false\n'
         '  final_snapshot_identifier       = "${local.name_prefix}-aurora-final"')],
    "MIG008-target-replaced-database-name.full-load": [
        ('  database_name                   = "manage_vaccinations"\n  master_username                 = "postgres"\n  manage_master_user_password',
         '  database_name                   = "mavis"\n  master_username                 = "postgres"\n  manage_master_user_password')],
}
variant = os.environ.get("VARIANT")
if variant:
    for old, new in VARIANT_EDITS[variant]:
        if text.count(old) != 1:
            sys.exit(f"VARIANT {variant}: expected one {old!r} in main.tf, found {text.count(old)}")
        text = text.replace(old, new)
open(os.path.join(out, "main.tf"), "w").write(text)
open(os.path.join(out, "terraform.tfvars"), "w").write('''environment           = "production"
%srails_master_key      = "CANARY-SECRET-7f3a9"
docker_image          = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/mavis:v3.12.0"
blue_target_group_arn = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/mavis-production-blue/8f2c1d7e4b3a5c60"
''' % ("" if cleaned and not dms_kept else 'db_password           = "CANARY-SECRET-7f3a9"\n'
       + ('legacy_db_host        = "mavis-production-aurora.cluster-c1a2b3c4d5e6.eu-west-2.rds.amazonaws.com"\n'
          if dms_kept else "")))
shutil.copy(os.path.join(HERE, DMS_MODULE), os.path.join(out, "modules/dms/main.tf"))
os.makedirs(os.path.join(out, "modules/monitoring"), exist_ok=True)
shutil.copy(os.path.join(HERE, "module_monitoring.tf"), os.path.join(out, "modules/monitoring/main.tf"))
with open(os.path.join(out, "main.tf"), "a") as handle:
    handle.write('''
module "monitoring" {
  source             = "./modules/monitoring"
  environment        = var.environment
  cluster_identifier = aws_rds_cluster.%s.cluster_identifier
}
''' % db)
