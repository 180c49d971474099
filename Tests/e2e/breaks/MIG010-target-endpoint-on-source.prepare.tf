# Copy-paste slip: the DMS target endpoint logs in with the source's secret.
module "dms" {
  target_secret_arn = aws_rds_cluster.source[0].master_user_secret[0].secret_arn
}
