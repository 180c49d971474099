# The services' grant names secrets no RDS-managed secret (rds!cluster-...) can match. (At cleanup:
# while DMS exists, its own role policy, which refers to the target's secret, hides this from MIG013.)
data "aws_iam_policy_document" "ecs_secrets_access" {
  statement {
    sid       = "ReadDatabaseSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:eu-west-2:123456789012:secret:app-production/database-*"]
  }
}
