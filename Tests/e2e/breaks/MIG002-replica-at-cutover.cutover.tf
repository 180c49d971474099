# The target stays on replica after the cutover: no foreign keys for the application's writes.
module "target" {
  session_replication_role = "replica"
}
