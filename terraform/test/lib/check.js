'use strict';
// The whole offline check of terraform/: syntax, formatting, provider schema, a plan of what would be created,
// and agreement of that plan with functions/manifest.json, firestore.indexes.json, the rules files and SPEC.

const path = require('node:path');
const { Files, load, plan } = require('./config');
const { Schema, checkBody } = require('./schema');
const E = require('./eval');

const REPO = path.resolve(__dirname, '../../..');
const MODULE = 'terraform';
const LIB = path.join(__dirname, '..', 'node_modules', '@cdktf', 'provider-google', 'lib');
const schema = new Schema({ libDir: LIB, overlayFile: path.join(__dirname, '..', 'provider-7x.json') });

/** Inputs the check plans with: a project, and one origin so CORS and ALLOWED_ORIGINS are exercised. */
const TEST_VARS = { project_id: 'atelier-check', app: { allowed_origins: ['https://app.example.com'] } };

/** SPEC "Deploy and run" and the records' TTL fields (shared/src/main/java/dev/atelier/{router,usage,store}). */
const TTL_POLICIES = [
  ['routing_decisions', 'expires_at'],
  ['model_router_alerts', 'expireAt'],
  ['usage_logs', 'expires_at'],
  ['rate_limit_logs', 'expires_at'],
  ['idempotencyKeys', 'expireAt'],
];

async function check({ overlay = {}, vars = TEST_VARS } = {}) {
  const files = new Files(REPO, overlay);
  const problems = [];
  const { config, problems: loadProblems } = await load(files, MODULE);
  problems.push(...loadProblems);

  const providers = Object.keys(config.requiredProviders);
  for (const res of [...Object.values(config.resources), ...Object.values(config.data)]) problems.push(...checkBody(schema, res, providers));
  for (const [name, { body, file }] of Object.entries(config.providers)) {
    const ps = schema.provider(name);
    if (!ps) problems.push(`${file}: unknown provider ${name}`);
    else for (const k of Object.keys(body)) if (!ps[k] && k !== 'alias') problems.push(`${file}: provider ${name}: unsupported argument "${k}"`);
  }
  problems.push(...checkReferences(config));

  const planned = plan(config, {
    files,
    moduleDir: MODULE,
    vars,
    unknownFiles: [/^functions\/[^/]+\/target\/function\.zip$/],
    schema,
  });
  problems.push(...planned.problems);
  problems.push(...agreement(files, planned));
  return { problems, plan: planned, counts: counts(planned.instances) };
}

function counts(instances) {
  const out = {};
  for (const i of instances) {
    const t = `${i.mode === 'data' ? 'data.' : ''}${i.type}`;
    out[t] = (out[t] || 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort());
}

/** depends_on and replace_triggered_by name declared resources. */
function checkReferences(config) {
  const problems = [];
  const declared = new Set([...Object.keys(config.resources), ...Object.keys(config.data).map((k) => `data.${k}`)]);
  for (const res of Object.values(config.resources)) {
    const refs = [...(res.body.depends_on || []), ...((res.body.lifecycle || [])[0] || {}).replace_triggered_by || []];
    for (const r of refs) {
      const m = /^\$\{((?:data\.)?[a-z0-9_]+\.[a-z0-9_-]+)(?:\[[^\]]*\])?\}$/.exec(r);
      if (!m || !declared.has(m[1])) problems.push(`${res.file}: ${res.address}: depends on ${r}, which is not a declared resource`);
    }
  }
  return problems;
}

// ---- agreement ---------------------------------------------------------------------------------------------

function agreement(files, planned) {
  const problems = [];
  const P = (msg) => problems.push(msg);
  const { instances, vars } = planned;
  const of = (type) => instances.filter((i) => i.type === type && i.mode === 'resource');
  const one = (list) => (list.length === 1 ? list[0] : null);
  const b = (v, k) => (v && v[k] && v[k][0]) || {};
  const repr = (v) => (E.isUnknown(v) ? v.repr : v);

  const manifest = JSON.parse(files.read('functions/manifest.json'));
  const defaults = manifest.defaults || {};
  const fns = manifest.functions.map((f) => ({ ...defaults, ...f }));
  const project = vars.project_id;
  const region = vars.region;
  const location = vars.firestore.location_id;

  const deployed = of('google_cloudfunctions2_function');
  for (const d of deployed) if (!fns.some((f) => f.name === d.values.name)) P(`${d.address} deploys "${d.values.name}", which is not in functions/manifest.json`);
  const saOf = (inst) => inst && repr(inst.values.service_config && b(inst.values, 'service_config').service_account_email);
  const invokers = of('google_cloud_run_service_iam_member');
  const schedulerSa = one(of('google_service_account').filter((s) => s.name === 'scheduler'));
  const triggerSa = one(of('google_service_account').filter((s) => s.name === 'trigger'));
  const saRef = (inst) => inst && `serviceAccount:\${${inst.address}.email}`;
  const secrets = of('google_secret_manager_secret');
  const providerIds = Object.keys(vars.generation_providers).sort();
  const media = one(of('google_storage_bucket').filter((x) => x.values.name === `${project}-atelier-media` || x.name === 'media'));
  const seenSa = new Map();

  for (const f of fns) {
    const where = `function ${f.name}`;
    const d = one(deployed.filter((x) => x.values.name === f.name));
    if (!d) {
      P(`${where}: in functions/manifest.json but not deployed (no google_cloudfunctions2_function named ${f.name})`);
      continue;
    }
    const bc = b(d.values, 'build_config');
    const sc = b(d.values, 'service_config');
    const expect = (what, got, want) => {
      if (!E.deepEqual(got, want)) P(`${where}: ${what} is ${JSON.stringify(repr(got))}, the manifest says ${JSON.stringify(want)}`);
    };
    expect('runtime', bc.runtime, 'java21');
    expect('entry_point', bc.entry_point, f.entryPoint);
    expect('location', d.values.location, region);
    expect('available_memory', sc.available_memory, `${f.memoryMb}Mi`);
    expect('available_cpu', sc.available_cpu, String(f.cpu));
    expect('timeout_seconds', sc.timeout_seconds, f.timeoutSeconds);
    expect('min_instance_count', sc.min_instance_count, f.minInstances);
    expect('max_instance_count', sc.max_instance_count, f.maxInstances);
    expect('max_instance_request_concurrency', sc.max_instance_request_concurrency, f.concurrency);

    // source: the function's zip, under a content-hashed name
    const srcRef = repr(b(b(bc, 'source'), 'storage_source').object) || '';
    const obj = one(of('google_storage_bucket_object').filter((o) => srcRef === repr(o.values.name) || srcRef === `\${${o.address}.name}`));
    if (!obj) P(`${where}: build source is not a google_storage_bucket_object of this configuration (${srcRef})`);
    else {
      expect('source zip', obj.values.source, `./../functions/${f.name}/target/function.zip`);
      if (!String(repr(obj.values.name)).includes('filesha256') && !/[0-9a-f]{64}/.test(String(obj.values.name))) P(`${where}: the source object's name does not carry the zip's hash (a code change would not redeploy)`);
    }

    // environment
    const env = sc.environment_variables || {};
    const want = {
      ...f.env,
      GOOGLE_CLOUD_PROJECT: project,
      JAVA_TOOL_OPTIONS: manifest.javaToolOptions.replace('{memoryMb}', String(f.memoryMb)),
    };
    if (!/-XX:MaxRAM=\d+m/.test(want.JAVA_TOOL_OPTIONS) || !want.JAVA_TOOL_OPTIONS.includes('-XX:MaxRAMPercentage=')) P(`${where}: JAVA_TOOL_OPTIONS lacks -XX:MaxRAM / -XX:MaxRAMPercentage (FACTS)`);
    const usesProviders = f.uses.includes('providerApi') || f.uses.includes('providerWebhooks');
    if (usesProviders) {
      want.PROVIDERS = providerIds.join(',');
      for (const id of providerIds) want[`PROVIDER_${id.toUpperCase().replace(/-/g, '_')}_URL`] = vars.generation_providers[id].url;
    }
    if (f.uses.includes('media')) Object.assign(want, { MEDIA_BUCKET: media && media.values.name, MEDIA_FETCH_MODE: 'production' });
    if (f.uses.includes('schedulerRead')) want.SCHEDULER_LOCATION = region;
    for (const [k, target] of Object.entries(f.functionUrls)) want[k] = `https://${region}-${project}.cloudfunctions.net/${target}`;
    if (f.trigger.http && vars.app.allowed_origins.length) want.ALLOWED_ORIGINS = vars.app.allowed_origins.join(',');
    expect('environment_variables', env, want);

    // secrets: exactly those of its capabilities, from this configuration's secrets
    const wantSecrets = {};
    for (const id of providerIds) {
      const prefix = `PROVIDER_${id.toUpperCase().replace(/-/g, '_')}_`;
      if (f.uses.includes('providerApi')) wantSecrets[`${prefix}API_TOKEN`] = `atelier-provider-${id}-api-token`;
      if (f.uses.includes('providerWebhooks')) wantSecrets[`${prefix}WEBHOOK_SECRET`] = `atelier-provider-${id}-webhook-secret`;
    }
    const gotSecrets = Object.fromEntries((sc.secret_environment_variables || []).map((s) => [s.key, s.secret]));
    expect('secret_environment_variables', gotSecrets, wantSecrets);
    for (const [env2, id] of Object.entries(wantSecrets)) {
      if (!secrets.some((s) => s.values.secret_id === id)) P(`${where}: secret ${id} (${env2}) is not declared`);
      const sa = saOf(d);
      const grant = of('google_secret_manager_secret_iam_member').some((g) => g.values.secret_id === id && g.values.role === 'roles/secretmanager.secretAccessor'
        && repr(g.values.member) === `serviceAccount:${sa}`);
      if (!grant) P(`${where}: its service account may not read secret ${id}`);
    }
    for (const g of of('google_secret_manager_secret_iam_member')) {
      if (repr(g.values.member) === `serviceAccount:${saOf(d)}` && !Object.values(wantSecrets).includes(g.values.secret_id)) P(`${where}: may read secret ${g.values.secret_id}, which it does not use`);
    }

    // its own service account, Firestore access, media access only when it uses media
    const sa = saOf(d);
    if (!/^\$\{google_service_account\.[^}]+\.email\}$/.test(sa || '')) P(`${where}: runs as ${sa}, not as a service account of this configuration`);
    if (seenSa.has(sa)) P(`${where}: shares its service account with ${seenSa.get(sa)}`);
    seenSa.set(sa, f.name);
    const projectRoles = of('google_project_iam_member').filter((m) => repr(m.values.member) === `serviceAccount:${sa}`).map((m) => m.values.role).sort();
    const wantRoles = ['roles/datastore.user'];
    if (f.uses.includes('schedulerRead')) wantRoles.push('roles/cloudscheduler.viewer');
    if (f.uses.includes('authAdmin')) wantRoles.push('roles/firebaseauth.admin');
    expect('project roles of its service account', projectRoles, wantRoles.sort());
    const bucketGrants = of('google_storage_bucket_iam_member').filter((m) => repr(m.values.member) === `serviceAccount:${sa}`);
    if (f.uses.includes('media') !== (bucketGrants.length > 0)) P(`${where}: media bucket access (${bucketGrants.length} grants) does not follow uses: ${JSON.stringify(f.uses)}`);
    for (const g of bucketGrants) {
      if (media && repr(g.values.bucket) !== media.values.name && repr(g.values.bucket) !== `\${${media.address}.name}`) P(`${where}: storage grant on a bucket other than the media bucket`);
      expect('media bucket role', g.values.role, 'roles/storage.objectAdmin');
    }

    // trigger and invoker
    const inv = invokers.filter((i) => i.values.service === f.name || repr(i.values.service) === `\${${d.address}.name}`);
    const members = inv.map((i) => repr(i.values.member)).sort();
    if (inv.some((i) => i.values.role !== 'roles/run.invoker')) P(`${where}: an invoker grant with another role than roles/run.invoker`);
    const et = d.values.event_trigger || [];
    if (f.trigger.http) {
      expect('invokers', members, ['allUsers']);
      if (et.length) P(`${where}: an HTTP function with an event_trigger`);
      expect('ingress_settings', sc.ingress_settings, 'ALLOW_ALL');
    } else {
      expect('ingress_settings', sc.ingress_settings, 'ALLOW_INTERNAL_ONLY');
    }
    if (f.trigger.event) {
      const t = et[0] || {};
      if (et.length !== 1) P(`${where}: has ${et.length} event_trigger blocks, wants 1`);
      expect('event_type', t.event_type, f.trigger.event.type);
      expect('trigger_region', t.trigger_region, location);
      expect('retry_policy', t.retry_policy, f.retry ? 'RETRY_POLICY_RETRY' : 'RETRY_POLICY_DO_NOT_RETRY');
      const filters = (t.event_filters || []).map((x) => ({ attribute: x.attribute, value: x.value, operator: x.operator === undefined ? null : x.operator }))
        .sort((x, y) => (x.attribute < y.attribute ? -1 : 1));
      expect('event_filters', filters, [
        { attribute: 'database', value: '(default)', operator: null },
        { attribute: 'document', value: f.trigger.event.document, operator: 'match-path-pattern' },
      ]);
      expect('trigger service account', repr(t.service_account_email), triggerSa && `\${${triggerSa.address}.email}`);
      expect('invokers', members, [saRef(triggerSa)]);
    }
    if (f.trigger.schedule) {
      const job = one(of('google_cloud_scheduler_job').filter((j) => j.values.name === f.name));
      if (!job) P(`${where}: scheduled in the manifest but no google_cloud_scheduler_job named ${f.name}`);
      else {
        const ht = b(job.values, 'http_target');
        expect('schedule', job.values.schedule, f.trigger.schedule.cron);
        expect('time_zone', job.values.time_zone, f.trigger.schedule.timeZone);
        expect('scheduler region', job.values.region, region);
        expect('scheduler target', repr(ht.uri), `\${${d.address}.url}`);
        expect('scheduler http_method', ht.http_method, 'POST');
        expect('scheduler OIDC account', repr(b(ht, 'oidc_token').service_account_email), schedulerSa && `\${${schedulerSa.address}.email}`);
        const retries = b(job.values, 'retry_config').retry_count;
        if ((retries > 0) !== f.retry) P(`${where}: scheduler retry_count ${retries} does not follow retry: ${f.retry}`);
      }
      expect('invokers', members, [saRef(schedulerSa)]);
    }
  }
  for (const job of of('google_cloud_scheduler_job')) {
    if (!fns.some((f) => f.trigger.schedule && f.name === job.values.name)) P(`${job.address}: no scheduled function ${job.values.name} in the manifest`);
  }
  if (triggerSa && !of('google_project_iam_member').some((m) => m.values.role === 'roles/eventarc.eventReceiver' && repr(m.values.member) === saRef(triggerSa))) {
    P('the trigger service account lacks roles/eventarc.eventReceiver');
  }
  for (const i of invokers) {
    if (repr(i.values.member) === 'allUsers' && !fns.some((f) => f.trigger.http && (i.values.service === f.name))) P(`${i.address}: public invoker on a function that is not HTTP`);
  }

  // secrets: two per provider, no values in Terraform
  const wantSecretIds = providerIds.flatMap((id) => [`atelier-provider-${id}-api-token`, `atelier-provider-${id}-webhook-secret`]).sort();
  if (!E.deepEqual(secrets.map((s) => s.values.secret_id).sort(), wantSecretIds)) P(`secrets are ${JSON.stringify(secrets.map((s) => s.values.secret_id))}, want ${JSON.stringify(wantSecretIds)}`);
  if (of('google_secret_manager_secret_version').length) P('a secret value is set in Terraform (google_secret_manager_secret_version): values are added outside Terraform');

  // Firestore: indexes, field overrides, TTL, backups, database
  const idx = JSON.parse(files.read('firestore.indexes.json'));
  const declaredIdx = of('google_firestore_index').map((i) => JSON.stringify([i.values.collection, i.values.query_scope,
    (i.values.fields || []).map((x) => [x.field_path, x.order || null, x.array_config || null])]));
  const wantIdx = idx.indexes.map((i) => JSON.stringify([i.collectionGroup, i.queryScope, i.fields.map((x) => [x.fieldPath, x.order || null, x.arrayConfig || null])]));
  for (const w of wantIdx) if (!declaredIdx.includes(w)) P(`firestore.indexes.json index ${w} is not declared`);
  for (const d of declaredIdx) if (!wantIdx.includes(d)) P(`index ${d} is declared but not in firestore.indexes.json`);
  const fields = of('google_firestore_field');
  for (const o of idx.fieldOverrides || []) {
    const fld = one(fields.filter((x) => x.values.collection === o.collectionGroup && x.values.field === o.fieldPath));
    if (!fld) {
      P(`field override ${o.collectionGroup}.${o.fieldPath} is not declared`);
      continue;
    }
    const got = (b(fld.values, 'index_config').indexes || []).map((x) => [x.query_scope, x.order || null, x.array_config || null]);
    expect2(P, `field override ${o.collectionGroup}.${o.fieldPath} indexes`, got, o.indexes.map((x) => [x.queryScope, x.order || null, x.arrayConfig || null]));
    if (!fld.values.index_config) P(`field override ${o.collectionGroup}.${o.fieldPath}: no index_config block`);
    if (!!o.ttl !== !!(fld.values.ttl_config && fld.values.ttl_config.length)) P(`field override ${o.collectionGroup}.${o.fieldPath}: ttl_config does not follow "ttl": ${o.ttl}`);
  }
  for (const [c, fld] of TTL_POLICIES) {
    const x = one(fields.filter((y) => y.values.collection === c && y.values.field === fld));
    if (!x || !(x.values.ttl_config && x.values.ttl_config.length)) P(`TTL policy on ${c}.${fld} (SPEC) is not declared`);
    else if ((b(x.values, 'index_config').indexes || []).length) P(`TTL field ${c}.${fld} keeps single-field indexes (index_config {} disables them)`);
  }
  const backup = one(of('google_firestore_backup_schedule'));
  if (!backup) P('no daily Firestore backup schedule');
  else {
    expect2(P, 'backup retention', backup.values.retention, `${14 * 86400}s`);
    if (!backup.values.daily_recurrence) P('the backup schedule is not daily');
  }
  const db = of('google_firestore_database');
  if (vars.firestore.create_database && db.length !== 1) P('create_database is on but no google_firestore_database');
  for (const x of db) {
    expect2(P, 'database name', x.values.name, '(default)');
    expect2(P, 'database location', x.values.location_id, location);
    expect2(P, 'database type', x.values.type, 'FIRESTORE_NATIVE');
  }

  // rules: each ruleset has its file's content and a release
  for (const [file, release] of [['firestore.rules', 'cloud.firestore'], ['storage.rules', null]]) {
    const rs = one(of('google_firebaserules_ruleset').filter((r) => b(b(r.values, 'source'), 'files').name === file));
    if (!rs) {
      P(`no ruleset from ${file}`);
      continue;
    }
    const content = b(b(rs.values, 'source'), 'files').content;
    if (content !== files.read(file)) P(`ruleset ${rs.address} does not hold ${file}`);
    const rel = of('google_firebaserules_release').filter((r) => String(repr(r.values.ruleset_name)).includes(`\${${rs.address}.name}`));
    if (rel.length !== 1) P(`ruleset from ${file} has ${rel.length} releases, wants 1`);
    else if (release && rel[0].values.name !== release) P(`release of ${file} is ${rel[0].values.name}, wants ${release}`);
    else if (!release && media && rel[0].values.name !== `firebase.storage/${media.values.name}`) P(`release of ${file} is ${repr(rel[0].values.name)}, wants firebase.storage/<media bucket>`);
  }

  // buckets
  if (!media) P('no media bucket');
  else {
    expect2(P, 'media uniform_bucket_level_access', media.values.uniform_bucket_level_access, true);
    expect2(P, 'media public_access_prevention', media.values.public_access_prevention, 'enforced');
    const cors = (media.values.cors || [])[0];
    if (!cors || !E.deepEqual(cors.origin, vars.app.allowed_origins)) P(`media bucket CORS origins are not the app's origins (${JSON.stringify(cors && cors.origin)})`);
  }
  for (const bk of of('google_storage_bucket')) {
    if (bk.values.public_access_prevention !== 'enforced') P(`${bk.address}: public access prevention not enforced`);
  }
  for (const g of [...of('google_storage_bucket_iam_member'), ...of('google_storage_bucket_iam_binding')]) {
    if (/allUsers|allAuthenticatedUsers/.test(JSON.stringify(g.values))) P(`${g.address}: a bucket is public`);
  }
  if (!of('google_firebase_storage_bucket').length) P('the media bucket is not linked to Firebase Storage (download tokens, storage.rules)');

  // observability
  const alert = of('google_monitoring_alert_policy').find((a) => JSON.stringify(a.values).includes('severity>=ALERT') || JSON.stringify(a.values).includes('severity=ALERT'));
  if (!alert) P('no log-based alert policy on severity ALERT');
  else if (!b(b(alert.values, 'conditions'), 'condition_matched_log').filter) P('the ALERT policy has no condition_matched_log');

  // service account ids as IAM accepts them
  for (const s of of('google_service_account')) {
    if (!/^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/.test(s.values.account_id)) P(`${s.address}: account_id "${s.values.account_id}" is not 6-30 of [a-z0-9-]`);
  }

  // APIs for what is deployed
  const apis = of('google_project_service').map((x) => x.values.service);
  const needs = {
    google_cloudfunctions2_function: ['cloudfunctions.googleapis.com', 'run.googleapis.com', 'cloudbuild.googleapis.com', 'artifactregistry.googleapis.com', 'eventarc.googleapis.com', 'pubsub.googleapis.com'],
    google_cloud_scheduler_job: ['cloudscheduler.googleapis.com'],
    google_firestore_index: ['firestore.googleapis.com'],
    google_secret_manager_secret: ['secretmanager.googleapis.com'],
    google_firebaserules_ruleset: ['firebaserules.googleapis.com'],
    google_firebase_storage_bucket: ['firebasestorage.googleapis.com'],
    google_firebase_project: ['firebase.googleapis.com'],
    google_monitoring_alert_policy: ['monitoring.googleapis.com'],
  };
  for (const [type, list] of Object.entries(needs)) {
    if (!of(type).length && type !== 'google_cloud_scheduler_job') continue;
    for (const api of list) if (!apis.includes(api)) P(`${type} needs ${api}, which no google_project_service enables`);
  }
  return problems;
}

function expect2(P, what, got, want) {
  if (!E.deepEqual(got, want)) P(`${what} is ${JSON.stringify(E.isUnknown(got) ? got.repr : got)}, want ${JSON.stringify(want)}`);
}

module.exports = { check, REPO, TEST_VARS, TTL_POLICIES };
