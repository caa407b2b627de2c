# A critical alert (ledger drift, mirror drift, invalid ledger entries, provider down…) is a
# model_router_alerts document and a log line at severity ALERT; this policy pages on the log line.

resource "google_monitoring_notification_channel" "email" {
  count        = var.alerts.email == null ? 0 : 1
  project      = var.project_id
  display_name = "Atelier alerts (${var.alerts.email})"
  type         = "email"
  labels       = { email_address = var.alerts.email }
}

resource "google_monitoring_alert_policy" "severity_alert" {
  project      = var.project_id
  display_name = "Atelier: a function logged at severity ALERT"
  combiner     = "OR"
  severity     = "CRITICAL"

  conditions {
    display_name = "Log entry with severity >= ALERT from an Atelier function"
    condition_matched_log {
      filter = join(" AND ", [
        "severity>=ALERT",
        "resource.type=\"cloud_run_revision\"",
        "resource.labels.service_name=(${join(" OR ", [for name in sort(keys(local.functions)) : "\"${name}\""])})",
      ])
      label_extractors = {
        function = "EXTRACT(resource.labels.service_name)"
      }
    }
  }

  alert_strategy {
    notification_rate_limit {
      period = "300s"
    }
    auto_close = "1800s"
  }

  notification_channels = concat(var.alerts.notification_channels, google_monitoring_notification_channel.email[*].id)

  documentation {
    mime_type = "text/markdown"
    content   = "An Atelier function logged at severity ALERT: read the log entry (function label) and the matching document in the model_router_alerts collection, then acknowledge it through the admin function."
  }

  depends_on = [google_project_service.api]
}
