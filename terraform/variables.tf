variable "project_id" {
  description = "GCP project that hosts Atelier."
  type        = string
}

variable "region" {
  description = "Region for functions, Scheduler jobs and buckets."
  type        = string
  default     = "us-central1"
}

variable "labels" {
  description = "Labels set on every resource that takes labels."
  type        = map(string)
  default     = {}
}

variable "firestore" {
  description = "The (default) Firestore database. Eventarc Firestore triggers use its location as trigger region, so location_id must be the database's real location also when the database already exists (create_database = false)."
  type = object({
    create_database        = optional(bool, true)
    location_id            = optional(string, "nam5")
    delete_protection      = optional(bool, true)
    point_in_time_recovery = optional(bool, true)
    backup_retention_days  = optional(number, 14)
  })
  default = {}
  validation {
    condition     = var.firestore.backup_retention_days >= 1 && var.firestore.backup_retention_days <= 98
    error_message = "Firestore keeps backups for at most 14 weeks (98 days)."
  }
}

variable "firebase" {
  description = "Firebase on the project: add_firebase adds it (set false when the project already is a Firebase project)."
  type = object({
    add_firebase = optional(bool, true)
  })
  default = {}
}

variable "app" {
  description = "The client app: the browser origins it is served from (media bucket CORS and the HTTP functions' ALLOWED_ORIGINS)."
  type = object({
    allowed_origins = optional(list(string), [])
  })
  default = {}
}

variable "media" {
  description = "The private media bucket (generations/{uid}/{historyId}/{mediaId}.{ext}). name defaults to <project_id>-atelier-media, location to the region."
  type = object({
    bucket_name      = optional(string)
    location         = optional(string)
    soft_delete_days = optional(number, 7)
    force_destroy    = optional(bool, false)
  })
  default = {}
}

variable "generation_providers" {
  description = "Generation providers by id (as the catalog's routes name them): their API base URL. Each gets two Secret Manager secrets, its API token and its webhook signing secret; their values are added outside Terraform."
  type = map(object({
    url = string
  }))
  default = {
    replicate = { url = "https://api.replicate.com" }
  }
  validation {
    condition     = alltrue([for id in keys(var.generation_providers) : can(regex("^[a-z][a-z0-9-]{0,31}$", id))])
    error_message = "Provider ids match [a-z][a-z0-9-]{0,31} (ProviderSettings)."
  }
}

variable "alerts" {
  description = "Where the ALERT-severity log alert notifies: existing notification channel ids, and/or an email address for which a channel is created."
  type = object({
    notification_channels = optional(list(string), [])
    email                 = optional(string)
  })
  default = {}
}
