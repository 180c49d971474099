/// Small hand-written Terraform documents that tests of several layers read.
enum TerraformSamples {
    static let planWithEveryAction = #"""
    {"format_version":"1.2","terraform_version":"1.9.5",
     "planned_values":{"root_module":{"resources":[
        {"address":"aws_s3_bucket.logs","mode":"managed","type":"aws_s3_bucket","name":"logs","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"logs"},"sensitive_values":{}}],
      "child_modules":[{"address":"module.dms[\"eu\"]","resources":[
        {"address":"module.dms[\"eu\"].aws_dms_endpoint.this[\"source\"]","mode":"managed","type":"aws_dms_endpoint","name":"this","index":"source","provider_name":"registry.terraform.io/hashicorp/aws","values":{"endpoint_type":"source"},"sensitive_values":{"password":true}}]}]}},
     "resource_drift":[{"address":"aws_rds_cluster.legacy","mode":"managed","type":"aws_rds_cluster","name":"legacy","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["update"],"before":{"engine_version":"15.4"},"after":{"engine_version":"15.5"},"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}],
     "resource_changes":[
      {"address":"aws_s3_bucket.logs","mode":"managed","type":"aws_s3_bucket","name":"logs","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["no-op"],"before":{"bucket":"logs"},"after":{"bucket":"logs"},"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}},
      {"address":"module.dms[\"eu\"].aws_dms_endpoint.this[\"source\"]","module_address":"module.dms[\"eu\"]","mode":"managed","type":"aws_dms_endpoint","name":"this","index":"source","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,
        "after":{"endpoint_type":"source","password":"CANARY-hunter2","tags":{"Name":"source"},"extra_connection_attributes":null,"certificate_arns":["arn:aws:acm:one"]},
        "after_unknown":{"server_name":true,"endpoint_arn":true,"secrets_manager_arn":true,"tags":{},"certificate_arns":[false,true]},
        "before_sensitive":false,"after_sensitive":{"password":true,"secrets_manager_arn":true,"tags":{}}}},
      {"address":"data.aws_caller_identity.current","mode":"data","type":"aws_caller_identity","name":"current","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["read"],"before":null,"after":{},"after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}},"action_reason":"read_because_config_unknown"},
      {"address":"aws_rds_cluster.legacy","mode":"managed","type":"aws_rds_cluster","name":"legacy","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["update"],"before":{"master_password":"CANARY-old"},"after":{"master_password":"CANARY-old"},"after_unknown":{},"before_sensitive":{"master_password":true},"after_sensitive":{"master_password":true}}},
      {"address":"aws_rds_cluster.old","previous_address":"aws_rds_cluster.older","mode":"managed","type":"aws_rds_cluster","name":"old","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["delete"],"before":{"deletion_protection":true},"after":null,"after_unknown":{},"before_sensitive":{},"after_sensitive":false},"action_reason":"delete_because_no_resource_config"},
      {"address":"aws_ecs_task_definition.app[0]","mode":"managed","type":"aws_ecs_task_definition","name":"app","index":0,"provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["delete","create"],"before":{},"after":{},"after_unknown":{},"before_sensitive":{},"after_sensitive":{},"replace_paths":[["container_definitions"]]},"action_reason":"replace_because_cannot_update"},
      {"address":"aws_ecs_task_definition.app[1]","mode":"managed","type":"aws_ecs_task_definition","name":"app","index":1,"provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create","delete"],"before":{},"after":{},"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}},
      {"address":"aws_iam_role.unused","mode":"managed","type":"aws_iam_role","name":"unused","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["forget"],"before":{},"after":null,"after_unknown":{},"before_sensitive":{},"after_sensitive":false}},
      {"address":"aws_security_group.imported","mode":"managed","type":"aws_security_group","name":"imported","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["no-op"],"before":{},"after":{},"after_unknown":{},"before_sensitive":{},"after_sensitive":{},"importing":{"id":"sg-123"}}}],
     "output_changes":{"target_endpoint":{"actions":["create"],"before":null,"after_unknown":true,"before_sensitive":false,"after_sensitive":false}},
     "prior_state":{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{"resources":[
        {"address":"aws_rds_cluster.old","mode":"managed","type":"aws_rds_cluster","name":"old","provider_name":"registry.terraform.io/hashicorp/aws","values":{"deletion_protection":true},"sensitive_values":{}}]}}},
     "configuration":{"root_module":{}},
     "timestamp":"2026-11-20T10:00:00Z","applyable":true,"complete":true,"errored":false}
    """#

    static let showState = #"""
    {"format_version":"1.0","terraform_version":"1.9.5","values":{"outputs":{},"root_module":{
      "resources":[{"address":"aws_rds_cluster.core","mode":"managed","type":"aws_rds_cluster","name":"core","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"engine":"aurora-postgresql"},"sensitive_values":{}}],
      "child_modules":[{"address":"module.dms[\"eu\"]","resources":[
        {"address":"module.dms[\"eu\"].aws_dms_endpoint.this[\"target\"]","mode":"managed","type":"aws_dms_endpoint","name":"this","index":"target","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"password":"CANARY-state"},"sensitive_values":{"password":true}}],
        "child_modules":[{"address":"module.dms[\"eu\"].module.inner","resources":[
          {"address":"module.dms[\"eu\"].module.inner.aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{},"sensitive_values":{}}]}]}]}}}
    """#

    /// The smallest plan migcheck accepts.
    static let minimalPlan = #"{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[]}"#

    /// A plan written the way `terraform show -json | jq .` prints it.
    static let prettyPlan = """
    {
      "format_version": "1.2",
      "resource_changes": [
        {
          "address": "aws_db_instance.old",
          "type": "aws_db_instance",
          "name": "old",
          "change": { "actions": ["delete"] }
        }
      ]
    }
    """

    /// A `terraform show -json` state with no resources.
    static let emptyShowState = #"{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}"#

    /// `terraform show -json` of a plan with one `terraform_data` (Terraform 1.11.4).
    static let terraformDataPlan = #"""
{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{"resources":[{"address":"terraform_data.release","mode":"managed","type":"terraform_data","name":"release","provider_name":"terraform.io/builtin/terraform","schema_version":0,"values":{"input":"v1","triggers_replace":null},"sensitive_values":{}}]}},"resource_changes":[{"address":"terraform_data.release","mode":"managed","type":"terraform_data","name":"release","provider_name":"terraform.io/builtin/terraform","change":{"actions":["create"],"before":null,"after":{"input":"v1","triggers_replace":null},"after_unknown":{"id":true,"output":true},"before_sensitive":false,"after_sensitive":{}}}],"configuration":{"provider_config":{"terraform":{"name":"terraform","full_name":"terraform.io/builtin/terraform"}},"root_module":{"resources":[{"address":"terraform_data.release","mode":"managed","type":"terraform_data","name":"release","provider_config_key":"terraform","expressions":{"input":{"constant_value":"v1"}},"schema_version":0}]}},"timestamp":"2026-12-04T19:30:36Z","applyable":true,"complete":true,"errored":false}
"""#
}
