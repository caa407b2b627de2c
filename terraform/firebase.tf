# Firebase on the project (Auth, the media bucket as a Firebase Storage bucket for download tokens and
# storage.rules) and the security rules: ../firestore.rules and ../storage.rules, each a ruleset and the
# release that points the service at it. Both rules files must exist (storage.rules is part of the repo).

resource "google_firebase_project" "default" {
  provider   = google-beta
  count      = var.firebase.add_firebase ? 1 : 0
  project    = var.project_id
  depends_on = [google_project_service.api]
}

resource "google_firebase_storage_bucket" "media" {
  provider   = google-beta
  project    = var.project_id
  bucket_id  = google_storage_bucket.media.name
  depends_on = [google_firebase_project.default]
}

resource "google_firebaserules_ruleset" "firestore" {
  project = var.project_id
  source {
    files {
      name    = "firestore.rules"
      content = file("${path.module}/../firestore.rules")
    }
  }
  lifecycle {
    create_before_destroy = true
  }
  depends_on = [google_project_service.api]
}

resource "google_firebaserules_release" "firestore" {
  project      = var.project_id
  name         = "cloud.firestore"
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.firestore.name}"
  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.firestore]
  }
  depends_on = [google_firestore_database.main]
}

resource "google_firebaserules_ruleset" "storage" {
  project = var.project_id
  source {
    files {
      name    = "storage.rules"
      content = file("${path.module}/../storage.rules")
    }
  }
  lifecycle {
    create_before_destroy = true
  }
  depends_on = [google_project_service.api]
}

resource "google_firebaserules_release" "storage" {
  project      = var.project_id
  name         = "firebase.storage/${google_storage_bucket.media.name}"
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.storage.name}"
  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.storage]
  }
  depends_on = [google_firebase_storage_bucket.media]
}
