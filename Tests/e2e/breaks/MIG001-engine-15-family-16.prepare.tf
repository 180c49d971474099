# The target's engine pinned to another major version while its parameter group family stays
# the source's: two MIG001 findings (the version, and a family AWS rejects for that engine).
module "target" {
  engine_version = "15.4"
}
