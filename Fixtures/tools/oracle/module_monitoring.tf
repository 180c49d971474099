variable "environment" {
  type = string
}
variable "cluster_identifier" {
  type        = string
  description = "Aurora cluster the application uses"
}

resource "aws_cloudwatch_metric_alarm" "database_cpu" {
  alarm_name          = "mavis-${var.environment}-database-cpu"
  alarm_description   = "Aurora CPU at or above 80% for 15 minutes"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 3
  metric_name         = "CPUUtilization"
  namespace           = "AWS/RDS"
  period              = 300
  statistic           = "Average"
  threshold           = 80
  dimensions = {
    DBClusterIdentifier = var.cluster_identifier
  }
}

output "alarm_arn" {
  value = aws_cloudwatch_metric_alarm.database_cpu.arn
}
