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
variable "endpoints" {
  type = map(object({
    server_name   = string
    database_name = string
    username      = string
    password      = string
  }))
  description = "DMS endpoints, keyed by endpoint type (source, target)"
}
variable "replication_tasks" {
  type = map(object({
    migration_type         = string
    start_replication_task = bool
  }))
  default = {
    migration = {
      migration_type         = "full-load-and-cdc"
      start_replication_task = false
    }
  }
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

resource "aws_dms_endpoint" "this" {
  for_each      = var.endpoints
  endpoint_id   = "mavis-${var.environment}-${each.key}"
  endpoint_type = each.key
  engine_name   = "aurora-postgresql"
  server_name   = each.value.server_name
  port          = 5432
  database_name = each.value.database_name
  username      = each.value.username
  password      = each.value.password
  ssl_mode      = "require"
}

resource "aws_dms_replication_task" "this" {
  for_each                 = var.replication_tasks
  replication_task_id      = "mavis-${var.environment}-migration"
  migration_type           = each.value.migration_type
  replication_instance_arn = aws_dms_replication_instance.this.replication_instance_arn
  source_endpoint_arn      = aws_dms_endpoint.this["source"].endpoint_arn
  target_endpoint_arn      = aws_dms_endpoint.this["target"].endpoint_arn
  start_replication_task   = each.value.start_replication_task
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
output "replication_task_arns" {
  value = { for k, t in aws_dms_replication_task.this : k => t.replication_task_arn }
}
output "endpoint_arns" {
  value = { for k, e in aws_dms_endpoint.this : k => e.endpoint_arn }
}
