# Provider secrets: declared here, values added outside Terraform (README, first deploy), so no secret
# ever sits in the state, the manifest or the repository. A function reads a secret only if its manifest
# entry uses the capability (providerApi: API tokens, providerWebhooks: webhook signing secrets).

resource "google_secret_manager_secret" "provider" {
  for_each  = local.provider_secrets
  project   = var.project_id
  secret_id = "atelier-provider-${each.key}"
  labels    = var.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.api]
}

resource "google_secret_manager_secret_iam_member" "function" {
  for_each  = local.function_secret_grants
  project   = var.project_id
  secret_id = google_secret_manager_secret.provider[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value.function].email}"
}
