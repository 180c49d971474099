# An Aurora PostgreSQL -> Aurora PostgreSQL migration with AWS DMS, as the deploys of the
# runbook change it. var.phase says which deploy this is; every difference between two
# deploys is one of the flags below.
locals {
  phases = ["before", "prepare", "full-load", "cutover", "cleanup-unprotect", "cleanup"]
  step   = index(local.phases, var.phase)

  has_target   = local.step >= 1                    # prepare creates the target; it stays
  migrating    = local.step >= 1 && local.step <= 4 # DMS, schema-prep, source logical replication
  loading      = local.step >= 2                    # the DMS task is started
  switched     = local.step >= 3                    # services on the target, target back to origin
  unprotected  = local.step >= 4                    # the source may be destroyed
  source_kept  = local.step <= 4                    # cleanup destroys the source
  rotation_off = local.step <= 4                    # rotations held back until cleanup

  name           = "app-${var.environment}"
  engine_version = "16.4"
  family         = "aurora-postgresql16"
  database_name  = "app"

  source_endpoint = one(aws_rds_cluster.source[*].endpoint)
  target_endpoint = one(module.target[*].endpoint)
  database_host   = local.switched ? local.target_endpoint : local.source_endpoint
  database_secret = local.switched ? one(module.target[*].master_secret_arn) : one(aws_rds_cluster.source[*].master_user_secret[0].secret_arn)
}

# ---------------------------------------------------------------- network

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = local.name }
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
  availability_zone = "${var.region}${["a", "b"][count.index]}"
  tags              = { Name = "${local.name}-private-${count.index + 1}" }
}

resource "aws_db_subnet_group" "main" {
  name       = "${local.name}-db"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_security_group" "database" {
  name        = "${local.name}-database"
  description = "Aurora clusters: PostgreSQL from the services and DMS"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "services" {
  name        = "${local.name}-services"
  description = "ECS services"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "services_to_database" {
  security_group_id            = aws_security_group.database.id
  referenced_security_group_id = aws_security_group.services.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "PostgreSQL from the ECS services"
}

# ---------------------------------------------------------------- the source (existing) cluster

# The source needs logical replication for DMS to capture changes. Static parameter:
# pending-reboot, in effect once the instances are rebooted (runbook: failover and reboot).
resource "aws_rds_cluster_parameter_group" "logical_replication" {
  count       = local.migrating ? 1 : 0
  name        = "${local.name}-logical-replication"
  family      = local.family
  description = "Source cluster: logical replication for DMS"

  parameter {
    name         = "rds.logical_replication"
    value        = "1"
    apply_method = "pending-reboot"
  }
}

resource "aws_rds_cluster" "source" {
  count                           = local.source_kept ? 1 : 0
  cluster_identifier              = "${local.name}-aurora"
  engine                          = "aurora-postgresql"
  engine_version                  = local.engine_version
  database_name                   = local.database_name
  master_username                 = "postgres"
  manage_master_user_password     = true
  db_subnet_group_name            = aws_db_subnet_group.main.name
  vpc_security_group_ids          = [aws_security_group.database.id]
  db_cluster_parameter_group_name = local.migrating ? aws_rds_cluster_parameter_group.logical_replication[0].name : null
  storage_encrypted               = true
  backup_retention_period         = 7
  apply_immediately               = true

  # Runbook, cleanup step 1 (the cleanup-unprotect deploy): protection off and a final
  # snapshot named, in the state before the deploy that destroys the cluster.
  deletion_protection       = !local.unprotected
  skip_final_snapshot       = false
  final_snapshot_identifier = local.unprotected ? "${local.name}-aurora-final" : null
}

resource "aws_rds_cluster_instance" "source" {
  count                = local.source_kept ? 2 : 0
  identifier           = "${local.name}-aurora-${count.index + 1}"
  cluster_identifier   = aws_rds_cluster.source[0].id
  instance_class       = "db.r6g.large"
  engine               = aws_rds_cluster.source[0].engine
  engine_version       = aws_rds_cluster.source[0].engine_version
  db_subnet_group_name = aws_db_subnet_group.main.name
}

# ---------------------------------------------------------------- the target (new) cluster

module "target" {
  source = "./modules/aurora-target"
  count  = local.has_target ? 1 : 0

  name                   = "${local.name}-core"
  engine_version         = local.engine_version
  family                 = local.family
  database_name          = local.database_name
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.database.id]

  # replica while DMS loads the tables (no triggers, no foreign key checks); origin from the
  # cutover on.
  session_replication_role = local.switched ? "origin" : "replica"
  instances = {
    "1" = { availability_zone = "${var.region}a", promotion_tier = 1 }
    "2" = { availability_zone = "${var.region}b", promotion_tier = 1 }
  }
}

# ---------------------------------------------------------------- secrets

# RDS rotates a managed master secret every 7 days unless told otherwise; the DMS endpoints
# and the schema-prep task hold these secrets, so both rotate 400 days apart until cleanup.
resource "aws_secretsmanager_secret_rotation" "target" {
  count              = local.has_target ? 1 : 0
  secret_id          = module.target[0].master_secret_arn
  rotate_immediately = false
  rotation_rules {
    # After the migration: the team's usual schedule.
    schedule_expression = local.rotation_off ? "rate(400 days)" : "cron(0 8 ? * WED *)"
  }
}

resource "aws_secretsmanager_secret_rotation" "source" {
  count              = local.migrating ? 1 : 0
  secret_id          = aws_rds_cluster.source[0].master_user_secret[0].secret_arn
  rotate_immediately = false
  rotation_rules {
    schedule_expression = "rate(400 days)"
  }
}

# ---------------------------------------------------------------- services

resource "aws_iam_role" "ecs_task_execution" {
  name = "${local.name}-ecs-task-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

# The services (and the schema-prep task) read the database credentials from the clusters'
# RDS-managed master secrets.
data "aws_iam_policy_document" "ecs_secrets_access" {
  statement {
    sid     = "ReadDatabaseSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    resources = concat(
      # [0], not [*]: a splat over the module names no output in the plan, so migcheck could not
      # tell the secret from another of its outputs (MIG013 unverified until applied).
      local.has_target ? [module.target[0].master_secret_arn] : [],
      # Until the cutover the services still log in to the source.
      local.switched ? [] : aws_rds_cluster.source[*].master_user_secret[0].secret_arn,
    )
  }
}

resource "aws_iam_policy" "ecs_secrets_access" {
  name   = "${local.name}-ecs-secrets-access"
  policy = data.aws_iam_policy_document.ecs_secrets_access.json
}

resource "aws_iam_role_policy_attachment" "ecs_secrets_access" {
  role       = aws_iam_role.ecs_task_execution.name
  policy_arn = aws_iam_policy.ecs_secrets_access.arn
}

# Read by other stacks and by people: where the application's database is.
resource "aws_ssm_parameter" "database_host" {
  name  = "/${local.name}/database-host"
  type  = "String"
  value = local.database_host
}

resource "aws_ecs_task_definition" "web" {
  family                   = "${local.name}-web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.ecs_task_execution.arn
  container_definitions = jsonencode([{
    name      = "web"
    image     = var.app_image
    essential = true
    environment = [
      { name = "DB_HOST", value = local.database_host },
      { name = "DB_NAME", value = local.database_name },
      { name = "SERVER_TYPE", value = "web" },
    ]
    secrets = [
      { name = "DB_CREDENTIALS", valueFrom = local.database_secret },
    ]
  }])
}

# The one-off schema-prep task (runbook: `bin/rails db:drop db:create db:schema:load` against
# the target): the application's image, not serving (SERVER_TYPE=none).
resource "aws_ecs_task_definition" "schema_prep" {
  count                    = local.migrating ? 1 : 0
  family                   = "${local.name}-prepare-new-db"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.ecs_task_execution.arn
  container_definitions = jsonencode([{
    name      = "prepare-new-db"
    image     = var.app_image
    essential = true
    environment = [
      { name = "DB_HOST", value = module.target[0].endpoint },
      { name = "DB_NAME", value = local.database_name },
      { name = "SERVER_TYPE", value = "none" },
    ]
    secrets = [
      { name = "DB_CREDENTIALS", valueFrom = module.target[0].master_secret_arn },
    ]
  }])
}

# ---------------------------------------------------------------- DMS

module "dms" {
  source = "./modules/dms"
  count  = local.migrating ? 1 : 0

  name                   = local.name
  subnet_ids             = aws_subnet.private[*].id
  vpc_security_group_ids = [aws_security_group.database.id]
  database_name          = local.database_name

  # The endpoints log in through the clusters' managed master secrets.
  source_secret_arn      = aws_rds_cluster.source[0].master_user_secret[0].secret_arn
  target_secret_arn      = module.target[0].master_secret_arn
  migration_type         = "full-load-and-cdc"
  start_replication_task = local.loading
}

output "database_host" {
  value = local.database_host
}

output "target_cluster_identifier" {
  value = one(module.target[*].cluster_identifier)
}

output "dms_replication_task_arn" {
  value = one(module.dms[*].replication_task_arn)
}
