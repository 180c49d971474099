# The target checks foreign keys and fires triggers while DMS loads it.
module "target" {
  session_replication_role = "origin"
}
