# Service accounts, least privilege:
# - fn-<name>, one per function: Firestore (datastore.user); the media bucket's objects only when the
#   manifest says it uses media; Cloud Scheduler viewer when it uses schedulerRead; Firebase Auth admin
#   when it uses authAdmin; each secret of its capabilities only (secrets.tf).
# - atelier-trigger: Eventarc delivers Firestore events as it (eventarc.eventReceiver, invoker of the
#   trigger functions only).
# - atelier-scheduler: Cloud Scheduler's OIDC identity (invoker of the scheduled functions only).
# - atelier-build: Cloud Build builds the function images as it.

resource "google_service_account" "function" {
  for_each     = local.functions
  project      = var.project_id
  account_id   = "fn-${each.key}"
  display_name = "Atelier function ${each.key}"
}

resource "google_project_iam_member" "function_datastore" {
  for_each = local.functions
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_storage_bucket_iam_member" "function_media" {
  for_each = { for name, f in local.functions : name => f if contains(f.uses, "media") }
  bucket   = google_storage_bucket.media.name
  role     = "roles/storage.objectAdmin"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_project_iam_member" "function_scheduler_viewer" {
  for_each = { for name, f in local.functions : name => f if contains(f.uses, "schedulerRead") }
  project  = var.project_id
  role     = "roles/cloudscheduler.viewer"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_project_iam_member" "function_auth_admin" {
  for_each = { for name, f in local.functions : name => f if contains(f.uses, "authAdmin") }
  project  = var.project_id
  role     = "roles/firebaseauth.admin"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "atelier-trigger"
  display_name = "Atelier Eventarc Firestore triggers"
}

resource "google_project_iam_member" "trigger_event_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.trigger.email}"
}

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "atelier-scheduler"
  display_name = "Atelier Cloud Scheduler (OIDC invoker of the scheduled functions)"
}

resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "atelier-build"
  display_name = "Atelier function builds"
}

resource "google_project_iam_member" "build" {
  for_each = toset(["roles/cloudbuild.builds.builder", "roles/logging.logWriter", "roles/artifactregistry.writer"])
  project  = var.project_id
  role     = each.key
  member   = "serviceAccount:${google_service_account.build.email}"
}
