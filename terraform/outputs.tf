output "function_urls" {
  description = "HTTPS URL of every function, by name."
  value       = { for name, f in google_cloudfunctions2_function.function : name => f.url }
}

output "media_bucket" {
  description = "The private media bucket (MEDIA_BUCKET of the functions that use media)."
  value       = google_storage_bucket.media.name
}

output "source_bucket" {
  description = "The bucket holding the functions' source zips."
  value       = google_storage_bucket.source.name
}

output "provider_secrets" {
  description = "Secret Manager secret ids to add values to (gcloud secrets versions add <id> --data-file=-)."
  value       = { for key, s in google_secret_manager_secret.provider : key => s.secret_id }
}

output "service_accounts" {
  description = "Service account emails: one per function, plus the trigger, scheduler and build accounts."
  value = merge(
    { for name, sa in google_service_account.function : name => sa.email },
    {
      "(trigger)"   = google_service_account.trigger.email
      "(scheduler)" = google_service_account.scheduler.email
      "(build)"     = google_service_account.build.email
    },
  )
}
