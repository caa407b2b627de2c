# One 2nd gen function per manifest entry: the prebuilt jar zip uploaded under its SHA-256 (a code change
# is a new object, hence a new build), the manifest's memory, CPU, timeout, instances, concurrency and
# environment, secrets from Secret Manager, and for Firestore triggers the Eventarc trigger.

resource "google_storage_bucket_object" "function_source" {
  for_each     = local.functions
  bucket       = google_storage_bucket.source.name
  name         = "${each.key}/${filesha256(local.function_zips[each.key])}.zip"
  source       = local.function_zips[each.key]
  content_type = "application/zip"
}

resource "google_cloudfunctions2_function" "function" {
  for_each    = local.functions
  project     = var.project_id
  location    = var.region
  name        = each.key
  description = "${each.value.entryPoint} (functions/manifest.json)"
  labels      = var.labels

  build_config {
    runtime         = "java21"
    entry_point     = each.value.entryPoint
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.function_source[each.key].name
      }
    }
  }

  service_config {
    # Mi, not M: the JVM's -XX:MaxRAM=<memoryMb>m in JAVA_TOOL_OPTIONS counts mebibytes too.
    available_memory                 = "${each.value.memoryMb}Mi"
    available_cpu                    = tostring(each.value.cpu)
    timeout_seconds                  = each.value.timeoutSeconds
    min_instance_count               = each.value.minInstances
    max_instance_count               = each.value.maxInstances
    max_instance_request_concurrency = each.value.concurrency
    # Clients and providers reach the HTTP functions over the internet; Eventarc and Cloud Scheduler of the
    # same project count as internal traffic, so trigger and scheduled functions take no other.
    ingress_settings               = can(each.value.trigger.http) ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    service_account_email          = google_service_account.function[each.key].email
    environment_variables          = local.function_env[each.key]

    dynamic "secret_environment_variables" {
      for_each = local.function_secrets[each.key]
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = google_secret_manager_secret.provider[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  dynamic "event_trigger" {
    for_each = can(each.value.trigger.event) ? [each.value.trigger.event] : []
    content {
      event_type            = event_trigger.value.type
      trigger_region        = var.firestore.location_id
      retry_policy          = each.value.retry ? "RETRY_POLICY_RETRY" : "RETRY_POLICY_DO_NOT_RETRY"
      service_account_email = google_service_account.trigger.email
      event_filters {
        attribute = "database"
        value     = local.firestore_database
      }
      event_filters {
        attribute = "document"
        value     = event_trigger.value.document
        operator  = "match-path-pattern"
      }
    }
  }

  depends_on = [
    google_project_service.api,
    google_project_iam_member.build,
    google_project_iam_member.function_datastore,
    google_project_iam_member.function_scheduler_viewer,
    google_project_iam_member.function_auth_admin,
    google_project_iam_member.trigger_event_receiver,
    google_secret_manager_secret_iam_member.function,
    google_storage_bucket_iam_member.function_media,
  ]
}

# Who may call each function: clients and providers call the HTTP functions, which check ID tokens or
# webhook signatures themselves; only Eventarc's trigger account calls a trigger function and only the
# Scheduler account a scheduled one.
resource "google_cloud_run_service_iam_member" "invoker" {
  for_each = local.functions
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.function[each.key].name
  role     = "roles/run.invoker"
  member = (can(each.value.trigger.http) ? "allUsers"
    : can(each.value.trigger.event) ? "serviceAccount:${google_service_account.trigger.email}"
  : "serviceAccount:${google_service_account.scheduler.email}")
}
