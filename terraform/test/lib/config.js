'use strict';
// Loads a Terraform root module from disk (with an in-memory overlay for broken fixtures), parses every .tf
// with HashiCorp's HCL parser (hcl2json), checks `terraform fmt` formatting (hcl-tools), and "plans" it:
// variables with their type defaults, locals, every resource's for_each/count expanded and every instance's
// arguments evaluated, as far as they are known before apply.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { parse } = require('@cdktf/hcl2json');
const { format } = require('@cdktf/hcl-tools');
const E = require('./eval');

const META = new Set(['for_each', 'count', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

/**
 * A view of the repository: real files, overridden by overlay entries (repo-relative path -> content, or null
 * for a deleted file).
 */
class Files {
  constructor(repoRoot, overlay = {}) {
    this.repoRoot = repoRoot;
    this.overlay = overlay;
  }

  rel(p) {
    return path.relative(this.repoRoot, path.resolve(this.repoRoot, p)).split(path.sep).join('/');
  }

  exists(p) {
    const r = this.rel(p);
    if (Object.prototype.hasOwnProperty.call(this.overlay, r)) return this.overlay[r] !== null;
    return fs.existsSync(path.join(this.repoRoot, r));
  }

  read(p) {
    const r = this.rel(p);
    if (Object.prototype.hasOwnProperty.call(this.overlay, r)) {
      if (this.overlay[r] === null) throw new Error(`no such file ${r}`);
      return this.overlay[r];
    }
    return fs.readFileSync(path.join(this.repoRoot, r), 'utf8');
  }

  list(dir, ext) {
    const r = this.rel(dir);
    const names = new Set(fs.existsSync(path.join(this.repoRoot, r)) ? fs.readdirSync(path.join(this.repoRoot, r)) : []);
    for (const [k, v] of Object.entries(this.overlay)) {
      if (path.posix.dirname(k) === r) (v === null ? names.delete(path.posix.basename(k)) : names.add(path.posix.basename(k)));
    }
    return [...names].filter((n) => n.endsWith(ext)).sort().map((n) => `${r}/${n}`);
  }
}

// hcl2json and hcl-tools run Go compiled to WASM: one call costs tens of milliseconds, so results are kept by
// content (the broken fixtures change one file of many).
const parsed = new Map();
const hashes = new Map();

async function parseAndFormat(file, text) {
  if (!parsed.has(text)) {
    let formatted = null;
    let json = null;
    let error = null;
    try {
      formatted = await format(text);
    } catch (e) {
      formatted = null;
    }
    try {
      json = await parse(path.basename(file), text);
    } catch (e) {
      error = String(e.message || e).split('\n')[0];
    }
    parsed.set(text, { formatted, json, error });
  }
  return parsed.get(text);
}

function sha256File(abs) {
  const st = fs.statSync(abs);
  const key = `${abs}:${st.size}:${st.mtimeMs}`;
  if (!hashes.has(key)) hashes.set(key, crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex'));
  return hashes.get(key);
}

/** Parses and format-checks every .tf file of moduleDir. Returns { config, problems }. */
async function load(files, moduleDir) {
  const problems = [];
  const config = { resources: {}, data: {}, variables: {}, locals: {}, outputs: {}, providers: {}, requiredProviders: {}, files: [] };
  for (const file of files.list(moduleDir, '.tf')) {
    const text = files.read(file);
    config.files.push(file);
    const { formatted, json, error } = await parseAndFormat(file, text);
    if (formatted !== null && formatted !== text) problems.push(`${file}: not formatted as terraform fmt formats it (${firstDifference(text, formatted)})`);
    if (error !== null) {
      problems.push(`${file}: HCL syntax error: ${error}`);
      continue;
    }
    for (const [kind, v] of Object.entries(json)) {
      switch (kind) {
        case 'resource':
        case 'data':
          for (const [type, byName] of Object.entries(v)) {
            for (const [name, bodies] of Object.entries(byName)) {
              const table = kind === 'resource' ? config.resources : config.data;
              const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
              if (table[`${type}.${name}`] || bodies.length > 1) problems.push(`${file}: ${address} declared twice`);
              table[`${type}.${name}`] = { mode: kind, type, name, address, body: bodies[0], file };
            }
          }
          break;
        case 'variable':
        case 'output':
          for (const [name, bodies] of Object.entries(v)) {
            const table = kind === 'variable' ? config.variables : config.outputs;
            if (table[name]) problems.push(`${file}: ${kind} ${name} declared twice`);
            table[name] = { body: bodies[0], file };
          }
          break;
        case 'locals':
          for (const block of v) {
            for (const [name, value] of Object.entries(block)) {
              if (config.locals[name]) problems.push(`${file}: local.${name} declared twice`);
              config.locals[name] = { value, file };
            }
          }
          break;
        case 'provider':
          for (const [name, bodies] of Object.entries(v)) config.providers[name] = { body: bodies[0], file };
          break;
        case 'terraform':
          for (const block of v) {
            for (const rp of block.required_providers || []) Object.assign(config.requiredProviders, rp);
          }
          break;
        default:
          problems.push(`${file}: unexpected top-level block "${kind}"`);
      }
    }
  }
  return { config, problems };
}

function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: ${JSON.stringify(la[i])} should be ${JSON.stringify(lb[i])}`;
  }
  return 'whitespace';
}

/**
 * Evaluates the module. vars: input variable values. Returns { instances, outputs, problems, vars }.
 * files.exists/read resolve paths relative to the module directory; paths matching `unknownFiles` (build
 * output such as the function zips) hash to an unknown value when they do not exist.
 */
function plan(config, { files, moduleDir, vars = {}, unknownFiles = [], schema }) {
  const problems = [];
  const resolve = (p) => path.posix.normalize(`${files.rel(moduleDir)}/${p}`);
  const ctx = {
    readFile: (p) => {
      if (!files.exists(resolve(p))) throw new Error(`file("${p}"): no such file ${resolve(p)}`);
      return files.read(resolve(p));
    },
    fileExists: (p) => files.exists(resolve(p)),
    fileSha256: (p) => {
      const r = resolve(p);
      if (!files.exists(r)) {
        if (unknownFiles.some((re) => re.test(r))) return new E.Unknown(`filesha256("${r}") (built by build-functions.sh)`);
        throw new Error(`filesha256("${p}"): no such file ${r}`);
      }
      return sha256File(path.join(files.repoRoot, files.rel(r)));
    },
  };
  ctx.functions = E.builtins(ctx);
  const empty = { lookup: () => undefined };

  // variables
  const varValues = {};
  for (const [name, { body }] of Object.entries(config.variables)) {
    let v;
    if (Object.prototype.hasOwnProperty.call(vars, name)) v = vars[name];
    else if (Object.prototype.hasOwnProperty.call(body, 'default')) v = E.evaluateJson(body.default, empty, ctx, `var.${name}`);
    else {
      problems.push(`variable ${name} has no value (give it in the test's variables)`);
      continue;
    }
    if (body.type) v = E.convert(E.parseType(E.parseTemplate(body.type)), v, `var.${name}`, ctx);
    varValues[name] = v;
  }
  for (const name of Object.keys(vars)) if (!config.variables[name]) problems.push(`value given for undeclared variable ${name}`);

  // locals (lazy)
  const localValues = {};
  const inProgress = new Set();
  const localsProxy = {
    __proxy: true,
    get(name) {
      if (Object.prototype.hasOwnProperty.call(localValues, name)) return localValues[name];
      const l = config.locals[name];
      if (!l) throw new E.EvalError(`no local.${name}`);
      if (inProgress.has(`local.${name}`)) throw new Error(`cycle through local.${name}`);
      inProgress.add(`local.${name}`);
      try {
        localValues[name] = E.evaluateJson(l.value, root, ctx, `local.${name}`);
      } finally {
        inProgress.delete(`local.${name}`);
      }
      return localValues[name];
    },
    index() {
      throw new E.EvalError('local cannot be indexed');
    },
  };

  // resources: expansion and instance proxies
  const expansions = {};
  const instanceValues = {};
  const all = { ...config.resources, ...Object.fromEntries(Object.entries(config.data).map(([k, v]) => [`data.${k}`, v])) };

  function keyRepr(key) {
    return key === null ? '' : `[${JSON.stringify(key)}]`;
  }

  function instanceScope(res, key, eachValue) {
    const vars2 = {};
    if (res.body.for_each !== undefined) vars2.each = { key, value: eachValue };
    if (res.body.count !== undefined) vars2.count = { index: key };
    return E.child(root, vars2);
  }

  function expand(id) {
    if (expansions[id]) return expansions[id];
    const res = all[id];
    if (inProgress.has(id)) throw new Error(`cycle through ${res.address}`);
    inProgress.add(id);
    try {
      let instances;
      if (res.body.for_each !== undefined && res.body.count !== undefined) throw new Error(`${res.address}: both for_each and count`);
      if (res.body.for_each !== undefined) {
        const fe = E.evaluateJson(res.body.for_each, root, ctx, `${res.address}.for_each`);
        if (E.isUnknown(fe) || (E.isObj(fe) && Object.keys(fe).some((k) => E.isUnknown(k)))) {
          throw new Error(`${res.address}: for_each depends on values known only after apply (${fe})`);
        }
        if (Array.isArray(fe)) {
          if (!fe[E.SET]) throw new Error(`${res.address}: for_each needs a map or a set of strings, got a list (use toset())`);
          if (fe.some((v) => E.isUnknown(v))) throw new Error(`${res.address}: for_each set holds values known only after apply`);
          instances = fe.map((k) => [k, k]);
        } else if (E.isObj(fe)) {
          instances = Object.keys(fe).sort().map((k) => [k, fe[k]]);
        } else {
          throw new Error(`${res.address}: for_each needs a map or a set`);
        }
      } else if (res.body.count !== undefined) {
        const n = E.evaluateJson(res.body.count, root, ctx, `${res.address}.count`);
        if (typeof n !== 'number') throw new Error(`${res.address}: count must be a known number (${n})`);
        instances = Array.from({ length: n }, (_, i) => [i, undefined]);
      } else {
        instances = [[null, undefined]];
      }
      expansions[id] = { res, instances };
      return expansions[id];
    } finally {
      inProgress.delete(id);
    }
  }

  function instanceProxy(id, key, eachValue) {
    const res = all[id];
    const address = `${res.address}${keyRepr(key)}`;
    return {
      __proxy: true,
      address,
      get(attr) {
        if (schema && !schema.hasAttribute(res.mode, res.type, attr)) {
          throw new E.EvalError(`${address}: unsupported attribute "${attr}" (not in the ${res.type} schema)`);
        }
        const raw = res.body[attr];
        if (raw === undefined || META.has(attr) || (schema && schema.isBlock(res.mode, res.type, attr))) return new E.Unknown(`${address}.${attr}`);
        const memo = `${address}.${attr}`;
        if (Object.prototype.hasOwnProperty.call(instanceValues, memo)) return instanceValues[memo];
        if (inProgress.has(memo)) throw new Error(`cycle through ${memo}`);
        inProgress.add(memo);
        try {
          instanceValues[memo] = E.evaluateJson(raw, instanceScope(res, key, eachValue), ctx, memo);
        } finally {
          inProgress.delete(memo);
        }
        return instanceValues[memo];
      },
      index() {
        throw new E.EvalError(`${address} is one instance: it cannot be indexed`);
      },
    };
  }

  function resourceValue(id) {
    const { res, instances } = expand(id);
    if (res.body.for_each !== undefined) return Object.fromEntries(instances.map(([k, v]) => [k, instanceProxy(id, k, v)]));
    if (res.body.count !== undefined) return instances.map(([k]) => instanceProxy(id, k));
    return instanceProxy(id, null);
  }

  const byType = {};
  for (const [id, r] of Object.entries(config.resources)) (byType[r.type] = byType[r.type] || {})[r.name] = id;
  const dataByType = {};
  for (const [id, r] of Object.entries(config.data)) (dataByType[r.type] = dataByType[r.type] || {})[r.name] = `data.${id}`;
  const typeProxy = (table, type) => ({
    __proxy: true,
    get(name) {
      if (!table[type][name]) throw new E.EvalError(`reference to undeclared resource ${type}.${name}`);
      return resourceValue(table[type][name]);
    },
    index() {
      throw new E.EvalError(`${type} cannot be indexed`);
    },
  });

  const root = {
    lookup(name) {
      if (name === 'var') return varValues;
      if (name === 'local') return localsProxy;
      if (name === 'path') return { module: '.', root: '.', cwd: '.' };
      if (name === 'terraform') return { workspace: 'default' };
      if (name === 'data') {
        return { __proxy: true, get: (t) => { if (!dataByType[t]) throw new E.EvalError(`no data source of type ${t}`); return typeProxy(dataByType, t); }, index() { throw new E.EvalError('data'); } };
      }
      if (byType[name]) return typeProxy(byType, name);
      return undefined;
    },
  };

  // validations of variables
  for (const [name, { body }] of Object.entries(config.variables)) {
    for (const v of body.validation || []) {
      try {
        const ok = E.evaluateJson(v.condition, root, ctx, `var.${name} validation`);
        if (ok !== true && !E.isUnknown(ok)) problems.push(`var.${name}: validation failed: ${v.error_message}`);
      } catch (e) {
        problems.push(`var.${name}: validation could not be evaluated: ${e.message}`);
      }
    }
  }

  // every instance, fully evaluated
  const instances = [];
  for (const id of Object.keys(all)) {
    const res = all[id];
    let exp;
    try {
      exp = expand(id);
    } catch (e) {
      problems.push(`${res.file}: ${e.message}`);
      continue;
    }
    for (const [key, eachValue] of exp.instances) {
      const address = `${res.address}${keyRepr(key)}`;
      try {
        const values = evaluateBody(res.body, instanceScope(res, key, eachValue), ctx, address);
        instances.push({ mode: res.mode, type: res.type, name: res.name, key, address, file: res.file, values, body: res.body });
      } catch (e) {
        problems.push(`${res.file}: ${address}: ${e.message}`);
      }
    }
  }

  const outputs = {};
  for (const [name, { body, file }] of Object.entries(config.outputs)) {
    try {
      outputs[name] = E.evaluateJson(body.value, root, ctx, `output.${name}`);
    } catch (e) {
      problems.push(`${file}: output ${name}: ${e.message}`);
    }
  }
  const locals = {};
  for (const name of Object.keys(config.locals)) {
    try {
      locals[name] = localsProxy.get(name);
    } catch (e) {
      problems.push(`${config.locals[name].file}: local.${name}: ${e.message}`);
    }
  }
  return { instances, outputs, locals, vars: varValues, problems };
}

/** A resource body's arguments evaluated; blocks become lists of evaluated bodies, dynamic blocks expanded. */
function evaluateBody(body, scope, ctx, where) {
  const out = {};
  for (const [k, v] of Object.entries(body)) {
    if (META.has(k)) continue;
    if (k === 'dynamic') {
      for (const [label, defs] of Object.entries(v)) {
        for (const def of defs) {
          const coll = E.evaluateJson(def.for_each, scope, ctx, `${where} dynamic ${label}`);
          if (E.isUnknown(coll)) throw new Error(`dynamic "${label}": for_each known only after apply`);
          const iter = def.iterator ? E.evaluateJson(def.iterator, { lookup: (n) => ({ __name: n }) }, ctx).__name : label;
          const entries = Array.isArray(coll) ? coll.map((x, i) => [coll[E.SET] ? x : i, x]) : Object.keys(coll).sort().map((key) => [key, coll[key]]);
          for (const [key, value] of entries) {
            const inner = E.child(scope, { [iter]: { key, value } });
            (out[label] = out[label] || []).push(evaluateBody((def.content || [{}])[0], inner, ctx, `${where}.${label}`));
          }
        }
      }
      continue;
    }
    if (Array.isArray(v) && v.length > 0 && v.every((b) => E.isObj(b))) {
      out[k] = (out[k] || []).concat(v.map((b) => evaluateBody(b, scope, ctx, `${where}.${k}`)));
    } else {
      out[k] = E.evaluateJson(v, scope, ctx, `${where}.${k}`);
    }
  }
  return out;
}

module.exports = { Files, load, plan, META };
