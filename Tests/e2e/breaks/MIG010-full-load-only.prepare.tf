# A full-load task stops after the copy: later writes never reach the target.
module "dms" {
  migration_type = "full-load"
}
