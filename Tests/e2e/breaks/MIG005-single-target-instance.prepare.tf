# A target with one instance cannot be rebooted without downtime.
module "target" {
  instances = {
    "1" = { availability_zone = "eu-west-2a", promotion_tier = 1 }
  }
}
