# The media bucket (private: uniform access, public access prevention enforced; media is read through
# Firebase download URLs with per-object tokens, or the Firebase SDK under storage.rules) and the bucket
# holding the functions' source zips.

locals {
  media_bucket_name = coalesce(var.media.bucket_name, "${var.project_id}-atelier-media")
}

resource "google_storage_bucket" "media" {
  project                     = var.project_id
  name                        = local.media_bucket_name
  location                    = coalesce(var.media.location, upper(var.region))
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.media.force_destroy
  labels                      = var.labels

  dynamic "cors" {
    for_each = length(var.app.allowed_origins) > 0 ? [var.app.allowed_origins] : []
    content {
      origin          = cors.value
      method          = ["GET", "HEAD"]
      response_header = ["Content-Type", "Content-Length", "Content-Range", "Range"]
      max_age_seconds = 3600
    }
  }

  # Deleted media (reconcile purges items soft-deleted over 30 days) stays restorable this long.
  soft_delete_policy {
    retention_duration_seconds = var.media.soft_delete_days * 86400
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  depends_on = [google_project_service.api]
}

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-atelier-functions-source"
  location                    = upper(var.region)
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels
  depends_on                  = [google_project_service.api]
}
