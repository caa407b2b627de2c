variable "project_id" {
  description = "GCP project that hosts Atelier."
  type        = string
}

variable "region" {
  description = "Region for functions, Scheduler jobs and buckets."
  type        = string
  default     = "us-central1"
}

variable "firestore" {
  description = "The (default) Firestore database. Eventarc Firestore triggers must use its location as trigger region."
  type = object({
    location_id = optional(string, "nam5")
  })
  default = {}
}
