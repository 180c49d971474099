# A new database name forces the target cluster's replacement: the loaded data is lost.
module "target" {
  database_name = "app_new"
}
