# One Cloud Scheduler job per scheduled function (trigger.schedule in the manifest): POST {} with an OIDC
# token of the scheduler account, the only principal allowed to invoke these functions (functions.tf).

resource "google_cloud_scheduler_job" "function" {
  for_each         = local.scheduled_functions
  project          = var.project_id
  region           = var.region
  name             = each.key
  description      = "Runs ${each.key} (functions/manifest.json)"
  schedule         = each.value.trigger.schedule.cron
  time_zone        = each.value.trigger.schedule.timeZone
  attempt_deadline = "${min(1800, max(15, each.value.timeoutSeconds))}s"

  retry_config {
    retry_count          = each.value.retry ? 3 : 0
    min_backoff_duration = "10s"
    max_backoff_duration = "300s"
    max_doublings        = 3
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.function[each.key].url
    headers     = { "Content-Type" = "application/json" }
    body        = base64encode("{}")
    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = google_cloudfunctions2_function.function[each.key].url
    }
  }

  depends_on = [google_project_service.api]
}
