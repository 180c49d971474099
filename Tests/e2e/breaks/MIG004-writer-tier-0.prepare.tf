# One target instance on promotion tier 0: failover goes where it is not expected.
module "target" {
  instances = {
    "1" = { availability_zone = "eu-west-2a", promotion_tier = 0 }
    "2" = { availability_zone = "eu-west-2b", promotion_tier = 1 }
  }
}
