# The (default) database, every index and field override of ../firestore.indexes.json (TTL policies are
# field overrides with "ttl": true there), and a daily backup schedule.

locals {
  firestore_database = "(default)"
  firestore_indexes  = jsondecode(file("${path.module}/../firestore.indexes.json"))

  # Keyed by content, so adding or removing one index never re-creates another.
  indexes = {
    for i in local.firestore_indexes.indexes :
    "${i.collectionGroup}/${i.queryScope}/${join(",", [for f in i.fields : "${f.fieldPath}:${try(f.order, f.arrayConfig)}"])}" => i
  }
  field_overrides = { for o in try(local.firestore_indexes.fieldOverrides, []) : "${o.collectionGroup}/${o.fieldPath}" => o }
}

resource "google_firestore_database" "main" {
  count                             = var.firestore.create_database ? 1 : 0
  project                           = var.project_id
  name                              = local.firestore_database
  location_id                       = var.firestore.location_id
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "PESSIMISTIC"
  app_engine_integration_mode       = "DISABLED"
  point_in_time_recovery_enablement = var.firestore.point_in_time_recovery ? "POINT_IN_TIME_RECOVERY_ENABLED" : "POINT_IN_TIME_RECOVERY_DISABLED"
  delete_protection_state           = var.firestore.delete_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy                   = "ABANDON"
  depends_on                        = [google_project_service.api]
}

resource "google_firestore_index" "index" {
  for_each    = local.indexes
  project     = var.project_id
  database    = local.firestore_database
  collection  = each.value.collectionGroup
  query_scope = each.value.queryScope
  api_scope   = "ANY_API"

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.fieldPath
      order        = try(fields.value.order, null)
      array_config = try(fields.value.arrayConfig, null)
    }
  }

  depends_on = [google_firestore_database.main]
}

# A field override replaces the field's automatic single-field indexes by its list; an empty list (the
# TTL fields) leaves the field unindexed, as Google advises for TTL timestamps.
resource "google_firestore_field" "override" {
  for_each   = local.field_overrides
  project    = var.project_id
  database   = local.firestore_database
  collection = each.value.collectionGroup
  field      = each.value.fieldPath

  index_config {
    dynamic "indexes" {
      for_each = each.value.indexes
      content {
        query_scope  = indexes.value.queryScope
        order        = try(indexes.value.order, null)
        array_config = try(indexes.value.arrayConfig, null)
      }
    }
  }

  dynamic "ttl_config" {
    for_each = try(each.value.ttl, false) ? [true] : []
    content {}
  }

  depends_on = [google_firestore_database.main]
}

resource "google_firestore_backup_schedule" "daily" {
  project   = var.project_id
  database  = local.firestore_database
  retention = "${var.firestore.backup_retention_days * 86400}s"
  daily_recurrence {}
  depends_on = [google_firestore_database.main]
}
