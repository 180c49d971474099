# The target without deletion protection.
module "target" {
  deletion_protection = false
}
