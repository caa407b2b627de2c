'use strict';
// Offline check of terraform/ (no terraform binary can be installed here): run by ../../test.sh through run.sh.
// The real configuration must pass; each broken fixture (an in-memory change of one file) must fail with the
// problem it plants, which proves the check can fail.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { check, REPO } = require('./lib/check');

const read = (p) => fs.readFileSync(path.join(REPO, p), 'utf8');

/** Replaces `from` by `to` in a repository file, failing if `from` is not there (a stale fixture). */
function edit(file, from, to) {
  const text = read(file);
  assert.ok(text.includes(from), `fixture: ${JSON.stringify(from)} not found in ${file}`);
  return { [file]: text.replace(from, to) };
}

function manifestWith(change) {
  const m = JSON.parse(read('functions/manifest.json'));
  change(m);
  return { 'functions/manifest.json': JSON.stringify(m, null, 2) };
}

async function problemsOf(overlay) {
  return (await check({ overlay })).problems;
}

function assertFails(problems, pattern) {
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`);
}

test('the configuration parses, is formatted, matches the provider schema and agrees with the manifest, indexes and SPEC', async () => {
  const result = await check();
  assert.deepStrictEqual(result.problems, []);
  const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
  console.log(`resources for the current manifest (${total} in ${Object.keys(result.counts).length} types):`);
  for (const [type, n] of Object.entries(result.counts)) console.log(`  ${String(n).padStart(3)}  ${type}`);
  const manifest = JSON.parse(read('functions/manifest.json'));
  assert.strictEqual(result.counts.google_cloudfunctions2_function, manifest.functions.length);
  assert.strictEqual(result.counts.google_firestore_index, JSON.parse(read('firestore.indexes.json')).indexes.length);
});

test('broken fixture: a misspelled argument fails the schema check', async () => {
  assertFails(await problemsOf(edit('terraform/functions.tf', 'available_cpu                    =', 'availabel_cpu                    =')),
    /unsupported argument or block "availabel_cpu" \(did you mean "available_cpu"\?\)/);
});

test('broken fixture: a misspelled nested argument in a dynamic block fails', async () => {
  assertFails(await problemsOf(edit('terraform/firestore.tf', 'field_path   = fields.value.fieldPath', 'fieldpath    = fields.value.fieldPath')),
    /google_firestore_index\.index.*fields: unsupported argument or block "fieldpath"/);
});

test('broken fixture: an unknown resource type fails', async () => {
  assertFails(await problemsOf(edit('terraform/scheduler.tf', 'resource "google_cloud_scheduler_job"', 'resource "google_cloud_schedule_job"')),
    /unknown resource type google_cloud_schedule_job/);
});

test('broken fixture: a reference to an attribute the resource does not have fails', async () => {
  assertFails(await problemsOf(edit('terraform/outputs.tf', 'name => f.url', 'name => f.uri')),
    /unsupported attribute "uri"/);
});

test('broken fixture: an argument google 7.x made output-only fails', async () => {
  assertFails(await problemsOf(edit('terraform/functions.tf', '    all_traffic_on_latest_revision = true\n', '    all_traffic_on_latest_revision = true\n    service                        = each.key\n')),
    /unsupported argument or block "service"/);
});

test('broken fixture: a manifest function that is not deployed fails', async () => {
  assertFails(await problemsOf(edit('terraform/functions.tf', 'resource "google_cloudfunctions2_function" "function" {\n  for_each    = local.functions',
    'resource "google_cloudfunctions2_function" "function" {\n  for_each    = { for k, v in local.functions : k => v if k != "admin" }')),
  /function admin: in functions\/manifest.json but not deployed/);
});

test('broken fixture: a function deployed with other values than the manifest says fails', async () => {
  assertFails(await problemsOf(edit('terraform/functions.tf', 'timeout_seconds                  = each.value.timeoutSeconds', 'timeout_seconds                  = 60')),
    /function provider-webhook: timeout_seconds is 60, the manifest says 300/);
  assertFails(await problemsOf(edit('terraform/manifest.tf', 'tostring(f.memoryMb)', '"1024"')),
    /function open-session: environment_variables .*MaxRAM=1024m/);
});

test('broken fixture: a trigger without the document filter or the database location fails', async () => {
  assertFails(await problemsOf(edit('terraform/functions.tf', 'operator  = "match-path-pattern"', 'operator  = null')),
    /function apply-ledger-entry: event_filters/);
  assertFails(await problemsOf(edit('terraform/functions.tf', 'trigger_region        = var.firestore.location_id', 'trigger_region        = var.region')),
    /trigger_region is "us-central1", the manifest says "nam5"/);
});

test('broken fixture: an unformatted file fails', async () => {
  assertFails(await problemsOf(edit('terraform/storage.tf', '  storage_class               = "STANDARD"', '  storage_class = "STANDARD"')),
    /terraform\/storage.tf: not formatted as terraform fmt formats it \(line \d+/);
});

test('broken fixture: an HCL syntax error fails with the file', async () => {
  assertFails(await problemsOf(edit('terraform/iam.tf', 'display_name = "Atelier function builds"\n}', 'display_name = "Atelier function builds"\n')),
    /terraform\/iam.tf: HCL syntax error/);
});

test('broken fixture: an index of firestore.indexes.json that is not declared fails', async () => {
  assertFails(await problemsOf(edit('terraform/firestore.tf', 'for_each    = local.indexes', 'for_each    = { for k, v in local.indexes : k => v if v.collectionGroup != "plans" }')),
    /firestore.indexes.json index \["plans","COLLECTION",\[\["active","ASCENDING",null\],\["sort","ASCENDING",null\]\]\] is not declared/);
});

test('broken fixture: a TTL collection without its policy fails', async () => {
  const idx = JSON.parse(read('firestore.indexes.json'));
  idx.fieldOverrides = idx.fieldOverrides.filter((o) => o.collectionGroup !== 'rate_limit_logs');
  assertFails(await problemsOf({ 'firestore.indexes.json': JSON.stringify(idx) }), /TTL policy on rate_limit_logs.expires_at \(SPEC\) is not declared/);
});

test('broken fixture: a secret granted to a function that does not use it fails', async () => {
  const problems = await problemsOf(edit('terraform/manifest.tf', 'if contains(f.uses, s.capability)', 'if contains(f.uses, s.capability) || name == "admin"'));
  assertFails(problems, /function admin: secret_environment_variables/);
  assertFails(problems, /function admin: may read secret atelier-provider-replicate-webhook-secret, which it does not use/);
});

test('a function added to the manifest with a schedule is deployed with its Scheduler job, with no Terraform edit', async () => {
  const scheduledBefore = JSON.parse(read('functions/manifest.json')).functions.filter((f) => f.trigger.schedule && f.name !== 'reconcile').length;
  const overlay = manifestWith((m) => {
    m.functions = m.functions.filter((f) => f.name !== 'reconcile');
    m.functions.push({
      name: 'reconcile', entryPoint: 'dev.atelier.functions.reconcile.ReconcileFunction',
      trigger: { schedule: { cron: '0 3 * * *', timeZone: 'Etc/UTC' } },
      memoryMb: 1024, timeoutSeconds: 540, minInstances: 0, maxInstances: 1, env: {}, retry: true, uses: ['media'],
    });
  });
  const result = await check({ overlay });
  assert.deepStrictEqual(result.problems, []);
  assert.strictEqual(result.counts.google_cloud_scheduler_job, scheduledBefore + 1);
  const job = result.plan.instances.find((i) => i.address === 'google_cloud_scheduler_job.function["reconcile"]');
  assert.strictEqual(job.values.schedule, '0 3 * * *');
  assert.strictEqual(job.values.attempt_deadline, '540s');
  assert.strictEqual(job.values.retry_config[0].retry_count, 3);
  const inv = result.plan.instances.find((i) => i.address === 'google_cloud_run_service_iam_member.invoker["reconcile"]');
  assert.strictEqual(inv.values.member.repr, 'serviceAccount:${google_service_account.scheduler.email}');
});

test('broken fixture: a scheduled function whose job fires on another schedule fails', async () => {
  const overlay = {
    ...manifestWith((m) => {
      m.functions = m.functions.filter((f) => f.name !== 'reset-model-quotas');
      m.functions.push({
        name: 'reset-model-quotas', entryPoint: 'x.Reset', trigger: { schedule: { cron: '0 * * * *', timeZone: 'Etc/UTC' } },
        memoryMb: 512, timeoutSeconds: 60, minInstances: 0, maxInstances: 1, env: {}, retry: false,
      });
    }),
    ...edit('terraform/scheduler.tf', 'schedule         = each.value.trigger.schedule.cron', 'schedule         = "*/5 * * * *"'),
  };
  assertFails(await problemsOf(overlay), /function reset-model-quotas: schedule is "\*\/5 \* \* \* \*", the manifest says "0 \* \* \* \*"/);
});
