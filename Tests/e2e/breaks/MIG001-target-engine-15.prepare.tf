# The target on another major version than the source.
module "target" {
  engine_version = "15.4"
  family         = "aurora-postgresql15"
}
