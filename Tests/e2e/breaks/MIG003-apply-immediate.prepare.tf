# rds.logical_replication is static: "immediate" is refused by RDS.
resource "aws_rds_cluster_parameter_group" "logical_replication" {
  parameter {
    name         = "rds.logical_replication"
    value        = "1"
    apply_method = "immediate"
  }
}
