# A consumer still points at the source after the cutover.
resource "aws_ssm_parameter" "database_host" {
  value = aws_rds_cluster.source[0].endpoint
}
