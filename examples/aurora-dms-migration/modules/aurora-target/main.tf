# The new Aurora PostgreSQL cluster: its own cluster parameter group (session_replication_role),
# RDS-managed master password, deletion protection and a final snapshot, and its instances
# (two, both on promotion tier 1 so either can take over while the other reboots).

variable "name" {
  type = string
}
variable "engine_version" {
  type = string
}
variable "family" {
  type        = string
  description = "Parameter group family, matching engine_version (aurora-postgresql16)."
}
variable "database_name" {
  type = string
}
variable "db_subnet_group_name" {
  type = string
}
variable "vpc_security_group_ids" {
  type = list(string)
}
variable "session_replication_role" {
  type        = string
  description = "replica while DMS loads the data (prepare, full-load), origin from the cutover on."
  validation {
    condition     = contains(["origin", "replica"], var.session_replication_role)
    error_message = "session_replication_role is origin or replica."
  }
}
variable "instances" {
  type = map(object({
    availability_zone = string
    promotion_tier    = number
  }))
  description = "The cluster's instances, by key."
}
variable "instance_class" {
  type    = string
  default = "db.r6g.large"
}
variable "deletion_protection" {
  type    = bool
  default = true
}

resource "aws_rds_cluster_parameter_group" "this" {
  name        = "${var.name}-disable-constraints"
  family      = var.family
  description = "Target cluster: session_replication_role for the DMS full load"

  parameter {
    name         = "session_replication_role"
    value        = var.session_replication_role
    apply_method = "immediate"
  }
}

resource "aws_rds_cluster" "this" {
  cluster_identifier              = var.name
  engine                          = "aurora-postgresql"
  engine_version                  = var.engine_version
  database_name                   = var.database_name
  master_username                 = "postgres"
  manage_master_user_password     = true
  db_subnet_group_name            = var.db_subnet_group_name
  vpc_security_group_ids          = var.vpc_security_group_ids
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
  storage_encrypted               = true
  backup_retention_period         = 7
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-final"
  apply_immediately               = true
}

resource "aws_rds_cluster_instance" "this" {
  for_each             = var.instances
  identifier           = "${var.name}-${each.key}"
  cluster_identifier   = aws_rds_cluster.this.id
  instance_class       = var.instance_class
  engine               = aws_rds_cluster.this.engine
  engine_version       = aws_rds_cluster.this.engine_version
  availability_zone    = each.value.availability_zone
  promotion_tier       = each.value.promotion_tier
  db_subnet_group_name = var.db_subnet_group_name
}

output "cluster_identifier" {
  value = aws_rds_cluster.this.cluster_identifier
}
output "cluster_arn" {
  value = aws_rds_cluster.this.arn
}
output "endpoint" {
  value = aws_rds_cluster.this.endpoint
}
output "master_secret_arn" {
  description = "ARN of the RDS-managed master secret (Secrets Manager)."
  value       = aws_rds_cluster.this.master_user_secret[0].secret_arn
}
