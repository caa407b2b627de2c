'use strict';
// The google provider's schema, read from the TypeScript typings of the pinned @cdktf/provider-google (generated
// from the provider's own schema: hashicorp/google 6.50.0), plus provider-7x.json: the few differences of
// google 7.x and google-beta that this configuration relies on, each with the docs page it was read from.
//
// For a resource type T the typings hold lib/<T without google_, "_" as "-">/index.d.ts with
//   export interface <Class>Config extends cdktf.TerraformMetaArguments { readonly <camel>?: <type>; ... }
// where every property's doc comment links the registry page with the argument's real name as anchor
// (…/docs/resources/cloudfunctions2_function#build_config), nested blocks are further interfaces, and the
// resource class' getters are every readable attribute (arguments and computed ones).

const fs = require('node:fs');
const path = require('node:path');

const snake = (camel) => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

class Schema {
  constructor({ libDir, overlayFile }) {
    this.libDir = libDir;
    this.overlay = JSON.parse(fs.readFileSync(overlayFile, 'utf8'));
    this.cache = {};
  }

  /** { args: {name: {required, block?: {...same, list: bool}}}, attrs: Set, provider, docs } or null. */
  resource(mode, type) {
    const id = `${mode}.${type}`;
    if (this.cache[id] !== undefined) return this.cache[id];
    let s = null;
    const extra = this.overlay.resources[type];
    if (mode === 'resource' && extra) {
      s = { args: toArgs(extra.arguments), attrs: new Set([...Object.keys(extra.arguments), ...extra.computed]), provider: extra.provider, docs: extra.docs };
    } else {
      const dir = path.join(this.libDir, (mode === 'data' ? 'data-' : '') + (mode === 'data' ? type : type.replace(/^google_/, '')).replace(/_/g, '-'));
      const file = path.join(dir, 'index.d.ts');
      if (fs.existsSync(file)) {
        const text = fs.readFileSync(file, 'utf8');
        if (text.includes(`tfResourceType = "${type}"`) || text.includes(`static readonly tfResourceType: string;`)) {
          s = fromTypings(text, type);
        }
      }
    }
    if (s) applyChanges(s, this.overlay.changes.filter((c) => c.resource === type));
    this.cache[id] = s;
    return s;
  }

  provider(name) {
    if (this.providerSchema === undefined) {
      const text = fs.readFileSync(path.join(this.libDir, 'provider', 'index.d.ts'), 'utf8');
      const ifaces = interfaces(text);
      this.providerSchema = argsOf(ifaces, 'GoogleProviderConfig');
    }
    return ['google', 'google-beta'].includes(name) ? this.providerSchema : null;
  }

  hasAttribute(mode, type, attr) {
    const s = this.resource(mode, type);
    return !s || s.attrs.has(attr) || Object.prototype.hasOwnProperty.call(s.args, attr);
  }

  isBlock(mode, type, attr) {
    const s = this.resource(mode, type);
    return !!(s && s.args[attr] && s.args[attr].block);
  }
}

function toArgs(spec) {
  const out = {};
  for (const [name, a] of Object.entries(spec)) {
    out[name] = { required: !!a.required, block: a.block ? { list: !!a.block.list, args: toArgs(a.block.arguments) } : null };
  }
  return out;
}

function applyChanges(s, changes) {
  for (const c of changes) {
    const segs = c.path.split('.');
    let args = s.args;
    for (const seg of segs.slice(0, -1)) args = args[seg] && args[seg].block ? args[seg].block.args : null;
    if (!args) throw new Error(`provider-7x.json: no block for ${c.resource} ${c.path}`);
    const last = segs[segs.length - 1];
    if (c.change === 'output-only') delete args[last];
    else if (c.change === 'required') args[last].required = true;
    else if (c.change === 'added') args[last] = { required: !!c.required, block: null };
    else throw new Error(`provider-7x.json: unknown change ${c.change}`);
  }
}

function interfaces(text) {
  const out = {};
  const re = /export interface (\w+)(?: extends [\w.]+)? \{\n([\s\S]*?)\n\}/g;
  let m;
  while ((m = re.exec(text))) {
    const props = [];
    const body = m[2];
    const pr = /(\/\*\*[\s\S]*?\*\/)\s*readonly (\w+)(\??): ([^;]+);/g;
    let p;
    while ((p = pr.exec(body))) {
      const anchor = /\/docs\/(?:resources|data-sources|guides)?\/?[\w-]*#([\w]+) /.exec(p[1]) || /#(\w+) \w+#\w+\}/.exec(p[1]);
      props.push({ camel: p[2], name: anchor ? anchor[1] : snake(p[2]), optional: p[3] === '?', type: p[4].trim() });
    }
    out[m[1]] = props;
  }
  return out;
}

function argsOf(ifaces, name) {
  const out = {};
  for (const p of ifaces[name] || []) {
    const t = p.type.replace(/\s*\|\s*cdktf\.IResolvable$/, '');
    const list = t.endsWith('[]');
    const base = t.replace(/\[\]$/, '');
    if (ifaces[base] && base !== name) out[p.name] = { required: !p.optional, block: { list, args: argsOf(ifaces, base) } };
    else out[p.name] = { required: !p.optional, block: null };
  }
  return out;
}

function fromTypings(text, type) {
  const ifaces = interfaces(text);
  const cfg = Object.keys(ifaces).find((n) => n.endsWith('Config') && new RegExp(`interface ${n} extends cdktf.TerraformMetaArguments`).test(text));
  if (!cfg) return null;
  const args = argsOf(ifaces, cfg);
  delete args.id;
  const cls = new RegExp(`export declare class (\\w+) extends cdktf\\.Terraform(?:Resource|DataSource) \\{([\\s\\S]*?)\\n\\}`).exec(text);
  const attrs = new Set(Object.keys(args));
  attrs.add('id');
  if (cls) {
    const gr = /\n\s+get (\w+)\(\)/g;
    let g;
    while ((g = gr.exec(cls[2]))) if (!g[1].endsWith('Input')) attrs.add(snake(g[1]));
  }
  return { args, attrs, provider: 'google', docs: `https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/${type.replace(/^google_/, '')}` };
}

/** Checks a resource's raw body (hcl2json) against its schema; returns problems. */
function checkBody(schema, res, providers) {
  const problems = [];
  const s = schema.resource(res.mode, res.type);
  const where = `${res.file}: ${res.address}`;
  if (!s) return [`${where}: unknown ${res.mode === 'data' ? 'data source' : 'resource type'} ${res.type} (not in the pinned provider typings nor in provider-7x.json)`];
  const providerRef = res.body.provider ? String(res.body.provider).replace(/^\$\{|\}$/g, '') : 'google';
  const providerName = providerRef.split('.')[0];
  if (!providers.includes(providerName)) problems.push(`${where}: provider ${providerName} is not in required_providers`);
  if (s.provider === 'google-beta' && providerName !== 'google-beta') problems.push(`${where}: ${res.type} exists only in google-beta (${s.docs}): set provider = google-beta`);
  walk(s.args, res.body, where, problems, true);
  return problems;
}

function walk(args, body, where, problems, top) {
  const present = new Set();
  for (const [k, v] of Object.entries(body)) {
    if (top && ['for_each', 'count', 'depends_on', 'lifecycle', 'provider'].includes(k)) continue;
    if (k === 'dynamic') {
      for (const [label, defs] of Object.entries(v)) {
        const a = args[label];
        if (!a || !a.block) {
          problems.push(`${where}: dynamic "${label}": ${label} is not a block of this resource`);
          continue;
        }
        present.add(label);
        for (const def of defs) {
          for (const key of Object.keys(def)) if (!['for_each', 'content', 'iterator', 'labels'].includes(key)) problems.push(`${where}: dynamic "${label}": unexpected ${key}`);
          walk(a.block.args, (def.content || [{}])[0], `${where}.${label}`, problems, false);
        }
      }
      continue;
    }
    const a = args[k];
    if (!a) {
      problems.push(`${where}: unsupported argument or block "${k}"${suggest(k, Object.keys(args))}`);
      continue;
    }
    present.add(k);
    if (a.block) {
      const blocks = Array.isArray(v) ? v : null;
      if (!blocks || !blocks.every((b) => b && typeof b === 'object' && !Array.isArray(b))) {
        problems.push(`${where}: "${k}" is a block, not an argument (write ${k} { … })`);
        continue;
      }
      if (!a.block.list && blocks.length > 1) problems.push(`${where}: at most one "${k}" block`);
      for (const b of blocks) walk(a.block.args, b, `${where}.${k}`, problems, false);
    } else if (Array.isArray(v) && v.length > 0 && v.every((b) => b && typeof b === 'object' && !Array.isArray(b))) {
      problems.push(`${where}: "${k}" is an argument, not a block (write ${k} = …)`);
    }
  }
  for (const [k, a] of Object.entries(args)) {
    if (a.required && !a.block && !present.has(k)) problems.push(`${where}: missing required argument "${k}"`);
  }
}

function suggest(k, names) {
  const d = (a, b) => {
    const m = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) m[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) m[i][j] = Math.min(m[i - 1][j] + 1, m[i][j - 1] + 1, m[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return m[a.length][b.length];
  };
  const best = names.map((n) => [d(k, n), n]).sort((x, y) => x[0] - y[0])[0];
  return best && best[0] <= 3 ? ` (did you mean "${best[1]}"?)` : '';
}

module.exports = { Schema, checkBody };
