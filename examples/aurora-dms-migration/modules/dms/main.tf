# DMS for the migration: a replication instance, a source and a target endpoint that log in
# through the clusters' RDS-managed master secrets, and one full-load-and-cdc task.

variable "name" {
  type = string
}
variable "subnet_ids" {
  type = list(string)
}
variable "vpc_security_group_ids" {
  type = list(string)
}
variable "database_name" {
  type = string
}
variable "source_secret_arn" {
  type        = string
  description = "The source cluster's master secret (host, port, user and password)."
}
variable "target_secret_arn" {
  type        = string
  description = "The target cluster's master secret."
}
variable "migration_type" {
  type    = string
  default = "full-load-and-cdc"
}
variable "start_replication_task" {
  type        = bool
  default     = false
  description = "Start the task (runbook: the full-load deploy)."
}

data "aws_region" "current" {}

resource "aws_iam_role" "secrets_access" {
  name = "${var.name}-dms-secrets-access"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "dms.${data.aws_region.current.name}.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "secrets_access" {
  name = "read-database-secrets"
  role = aws_iam_role.secrets_access.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      Resource = [var.source_secret_arn, var.target_secret_arn]
    }]
  })
}

resource "aws_dms_replication_subnet_group" "this" {
  replication_subnet_group_id          = "${var.name}-dms"
  replication_subnet_group_description = "DMS replication subnet group"
  subnet_ids                           = var.subnet_ids
}

resource "aws_dms_replication_instance" "this" {
  replication_instance_id     = "${var.name}-dms"
  replication_instance_class  = "dms.r5.large"
  allocated_storage           = 100
  engine_version              = "3.5.3"
  multi_az                    = false
  publicly_accessible         = false
  replication_subnet_group_id = aws_dms_replication_subnet_group.this.id
  vpc_security_group_ids      = var.vpc_security_group_ids
}

resource "aws_dms_endpoint" "source" {
  endpoint_id                     = "${var.name}-source"
  endpoint_type                   = "source"
  engine_name                     = "aurora-postgresql"
  database_name                   = var.database_name
  secrets_manager_arn             = var.source_secret_arn
  secrets_manager_access_role_arn = aws_iam_role.secrets_access.arn
  ssl_mode                        = "require"
  depends_on                      = [aws_iam_role_policy.secrets_access]
}

resource "aws_dms_endpoint" "target" {
  endpoint_id                     = "${var.name}-target"
  endpoint_type                   = "target"
  engine_name                     = "aurora-postgresql"
  database_name                   = var.database_name
  secrets_manager_arn             = var.target_secret_arn
  secrets_manager_access_role_arn = aws_iam_role.secrets_access.arn
  ssl_mode                        = "require"
  depends_on                      = [aws_iam_role_policy.secrets_access]
}

resource "aws_dms_replication_task" "migration" {
  replication_task_id      = "${var.name}-migration"
  migration_type           = var.migration_type
  replication_instance_arn = aws_dms_replication_instance.this.replication_instance_arn
  source_endpoint_arn      = aws_dms_endpoint.source.endpoint_arn
  target_endpoint_arn      = aws_dms_endpoint.target.endpoint_arn
  start_replication_task   = var.start_replication_task
  table_mappings = jsonencode({
    rules = [{
      rule-type      = "selection"
      rule-id        = "1"
      rule-name      = "include-public"
      rule-action    = "include"
      object-locator = { schema-name = "public", table-name = "%" }
    }]
  })
  replication_task_settings = jsonencode({
    TargetMetadata   = { SupportLobs = true, FullLobMode = false, LimitedSizeLobMode = true, LobMaxSize = 32 }
    FullLoadSettings = { TargetTablePrepMode = "DO_NOTHING" }
    Logging          = { EnableLogging = true }
  })
}

output "replication_task_arn" {
  value = aws_dms_replication_task.migration.replication_task_arn
}
output "replication_instance_arn" {
  value = aws_dms_replication_instance.this.replication_instance_arn
}
