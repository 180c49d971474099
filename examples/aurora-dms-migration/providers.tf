# Real AWS: leave aws_endpoint_url empty (the default) and the provider behaves as usual
# (credentials from the environment, every check on).
# Tests (Tests/e2e/run.sh): aws_endpoint_url is the local moto server, every service the
# configuration uses is sent there, with fixed test credentials and without the checks
# that need the real AWS (credential validation, the instance metadata service).
locals {
  testing = var.aws_endpoint_url != ""
  services = [
    "dms", "ec2", "ecs", "iam", "rds", "secretsmanager", "ssm", "sts",
  ]
}

provider "aws" {
  region = var.region

  access_key                  = local.testing ? "testing" : null
  secret_key                  = local.testing ? "testing" : null
  skip_credentials_validation = local.testing
  skip_metadata_api_check     = local.testing
  skip_region_validation      = local.testing

  dynamic "endpoints" {
    for_each = local.testing ? [var.aws_endpoint_url] : []
    content {
      dms            = endpoints.value
      ec2            = endpoints.value
      ecs            = endpoints.value
      iam            = endpoints.value
      rds            = endpoints.value
      secretsmanager = endpoints.value
      ssm            = endpoints.value
      sts            = endpoints.value
    }
  }

  default_tags {
    tags = {
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
