variable "environment" {
  type = string
}
variable "vpc_id" {
  type = string
}
variable "subnet_ids" {
  type = list(string)
}
variable "rds_security_group_id" {
  type        = string
  description = "Security group of the source and target clusters"
}
variable "source_server_name" {
  type        = string
  description = "Host name of the source cluster's writer endpoint"
}
variable "source_database_name" {
  type = string
}
variable "source_username" {
  type = string
}
variable "source_password" {
  type      = string
  sensitive = true
}
variable "target_server_name" {
  type        = string
  description = "Host name of the target cluster's writer endpoint"
}
variable "target_database_name" {
  type = string
}
variable "target_username" {
  type = string
}
variable "target_password" {
  type      = string
  sensitive = true
}
variable "start_replication_task" {
  type        = bool
  default     = false
  description = "Start the task once it exists (runbook: full load)"
}

resource "aws_dms_replication_subnet_group" "this" {
  replication_subnet_group_id          = "mavis-${var.environment}-dms"
  replication_subnet_group_description = "DMS replication subnet group"
  subnet_ids                           = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "mavis-${var.environment}-dms"
  description = "DMS replication instance"
  vpc_id      = var.vpc_id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "rds_ingress" {
  type                     = "ingress"
  description              = "DMS replication instance to Aurora"
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  security_group_id        = var.rds_security_group_id
  source_security_group_id = aws_security_group.this.id
}

resource "aws_dms_replication_instance" "this" {
  replication_instance_id     = "mavis-${var.environment}-dms"
  replication_instance_class  = "dms.r5.large"
  allocated_storage           = 100
  engine_version              = "3.5.3"
  multi_az                    = false
  publicly_accessible         = false
  replication_subnet_group_id = aws_dms_replication_subnet_group.this.id
  vpc_security_group_ids      = [aws_security_group.this.id]
}

resource "aws_dms_endpoint" "source" {
  endpoint_id   = "mavis-${var.environment}-source"
  endpoint_type = "source"
  engine_name   = "aurora-postgresql"
  server_name   = var.source_server_name
  port          = 5432
  database_name = var.source_database_name
  username      = var.source_username
  password      = var.source_password
  ssl_mode      = "require"
}

resource "aws_dms_endpoint" "target" {
  endpoint_id   = "mavis-${var.environment}-target"
  endpoint_type = "target"
  engine_name   = "aurora-postgresql"
  server_name   = var.target_server_name
  port          = 5432
  database_name = var.target_database_name
  username      = var.target_username
  password      = var.target_password
  ssl_mode      = "require"
}

resource "aws_dms_replication_task" "migration" {
  replication_task_id      = "mavis-${var.environment}-migration"
  migration_type           = "full-load-and-cdc"
  replication_instance_arn = aws_dms_replication_instance.this.replication_instance_arn
  source_endpoint_arn      = aws_dms_endpoint.source.endpoint_arn
  target_endpoint_arn      = aws_dms_endpoint.target.endpoint_arn
  start_replication_task   = var.start_replication_task
  table_mappings = jsonencode({
    rules = [{
      rule-type   = "selection"
      rule-id     = "1"
      rule-name   = "include-public"
      rule-action = "include"
      object-locator = {
        schema-name = "public"
        table-name  = "%"
      }
    }]
  })
  replication_task_settings = jsonencode({
    TargetMetadata = {
      TargetSchema       = ""
      SupportLobs        = true
      FullLobMode        = false
      LobMaxSize         = 32
      LimitedSizeLobMode = true
    }
    FullLoadSettings = {
      TargetTablePrepMode = "DO_NOTHING"
    }
    Logging = {
      EnableLogging = true
    }
  })
}

output "replication_instance_arn" {
  value = aws_dms_replication_instance.this.replication_instance_arn
}
output "replication_task_arn" {
  value = aws_dms_replication_task.migration.replication_task_arn
}
output "endpoint_arns" {
  value = { source = aws_dms_endpoint.source.endpoint_arn, target = aws_dms_endpoint.target.endpoint_arn }
}
