# Everything Terraform knows about the functions comes from ../functions/manifest.json (the same file the
# local stack and the tests read): a function added there is deployed with no edit here.

locals {
  manifest = jsondecode(file("${path.module}/../functions/manifest.json"))

  # Each function with the manifest's defaults filled in (its own keys win), as the local stack's parser does.
  functions = { for f in local.manifest.functions : f.name => merge(local.manifest.defaults, f) }

  http_functions      = { for name, f in local.functions : name => f if can(f.trigger.http) }
  event_functions     = { for name, f in local.functions : name => f if can(f.trigger.event) }
  scheduled_functions = { for name, f in local.functions : name => f if can(f.trigger.schedule) }

  # The prebuilt source of each function (build-functions.sh): its deploy folder zipped.
  function_zips = { for name, f in local.functions : name => "${path.module}/../functions/${name}/target/function.zip" }

  # 2nd gen functions also answer at this deterministic URL, which breaks the cycle of a function that
  # needs another one's URL in its environment (submit-generation -> provider-webhook).
  function_url_base = "https://${var.region}-${var.project_id}.cloudfunctions.net/"

  provider_ids = sort(keys(var.generation_providers))
  provider_env = merge(
    { PROVIDERS = join(",", local.provider_ids) },
    { for id in local.provider_ids : "PROVIDER_${upper(replace(id, "-", "_"))}_URL" => var.generation_providers[id].url },
  )

  # Secret Manager secrets, keyed "<provider id>-api-token" / "<provider id>-webhook-secret".
  provider_secrets = merge([
    for id in local.provider_ids : {
      "${id}-api-token"      = { provider = id, capability = "providerApi", env = "PROVIDER_${upper(replace(id, "-", "_"))}_API_TOKEN" }
      "${id}-webhook-secret" = { provider = id, capability = "providerWebhooks", env = "PROVIDER_${upper(replace(id, "-", "_"))}_WEBHOOK_SECRET" }
    }
  ]...)

  # Which secrets each function reads: those of the capabilities its manifest entry uses.
  function_secrets = {
    for name, f in local.functions : name => {
      for key, s in local.provider_secrets : s.env => key if contains(f.uses, s.capability)
    }
  }
  function_secret_grants = merge([
    for name, secrets in local.function_secrets : { for env, key in secrets : "${name}/${key}" => { function = name, secret = key } }
  ]...)

  function_env = {
    for name, f in local.functions : name => merge(
      f.env,
      {
        GOOGLE_CLOUD_PROJECT = var.project_id
        JAVA_TOOL_OPTIONS    = replace(local.manifest.javaToolOptions, "{memoryMb}", tostring(f.memoryMb))
      },
      contains(f.uses, "providerApi") || contains(f.uses, "providerWebhooks") ? local.provider_env : {},
      contains(f.uses, "media") ? { MEDIA_BUCKET = local.media_bucket_name, MEDIA_FETCH_MODE = "production" } : {},
      contains(f.uses, "schedulerRead") ? { SCHEDULER_LOCATION = var.region } : {},
      { for env, target in f.functionUrls : env => "${local.function_url_base}${target}" },
      can(f.trigger.http) && length(var.app.allowed_origins) > 0 ? { ALLOWED_ORIGINS = join(",", var.app.allowed_origins) } : {},
    )
  }
}
