# The target's secret rotates during the migration.
resource "aws_secretsmanager_secret_rotation" "target" {
  rotation_rules {
    schedule_expression = "rate(30 days)"
  }
}
