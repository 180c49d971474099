variable "phase" {
  type        = string
  description = <<-EOT
    The migration deploy this configuration describes (docs: README.md):
    before            the application as it runs before the migration (the starting point)
    prepare           the target cluster, its parameter group, DMS, the schema-prep task;
                      the source gets logical replication
    full-load         starts the DMS task
    cutover           the services point at the target; its session_replication_role back to origin
    cleanup-unprotect the source loses its deletion protection and gets a final snapshot identifier
    cleanup           DMS, the schema-prep task and the source cluster are destroyed;
                      the target's secret rotates on the normal schedule again
  EOT
  validation {
    condition     = contains(["before", "prepare", "full-load", "cutover", "cleanup-unprotect", "cleanup"], var.phase)
    error_message = "phase must be one of before, prepare, full-load, cutover, cleanup-unprotect, cleanup."
  }
}

variable "environment" {
  type        = string
  default     = "production"
  description = "Environment name, part of every resource name."
}

variable "region" {
  type    = string
  default = "eu-west-2"
}

variable "aws_endpoint_url" {
  type        = string
  default     = ""
  description = "Empty for the real AWS; the URL of a local AWS (moto) in tests."
}

variable "app_image" {
  type        = string
  default     = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/app:v3.12.0"
  description = "The image the application runs; the schema-prep task runs the same one."
}
