'use strict';
// Evaluates parsed HCL expressions the way `terraform plan` does for what is known before apply: variables,
// locals, each/count, for expressions and the built-in functions used here. A resource attribute that the
// configuration does not set is unknown until apply: it evaluates to an Unknown carrying its reference
// text (for example google_service_account.trigger.email), so checks can still see what points where.

const crypto = require('node:crypto');
const { parseExpression, parseTemplate } = require('./expr');

class EvalError extends Error {}

/** A value known only after apply. repr is its template form: "${google_service_account.trigger.email}". */
class Unknown {
  constructor(ref, repr) {
    this.text = ref;
    this.repr = repr === undefined ? '${' + ref + '}' : repr;
  }

  static template(repr) {
    return new Unknown('(template)', repr);
  }

  toString() {
    return this.repr;
  }
}

const SET = Symbol('set');

function mkSet(items) {
  const out = [];
  for (const v of items) if (!out.some((o) => deepEqual(o, v))) out.push(v);
  out.sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : 0));
  out[SET] = true;
  return out;
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown) && !v.__proxy;
const isUnknown = (v) => v instanceof Unknown;

function deepEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return deepEqual(ka, kb) && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function hasUnknown(v) {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (isObj(v)) return Object.values(v).some(hasUnknown);
  return false;
}

function toStr(v, what) {
  if (isUnknown(v)) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  throw new EvalError(`${what || 'value'}: cannot convert ${v === null ? 'null' : typeof v} to string`);
}

// ---- functions ---------------------------------------------------------------------------------------------
function builtins(ctx) {
  const str = (v) => toStr(v, 'argument');
  const strict = (name, args) => {
    if (args.some(hasUnknown)) return new Unknown(`${name}(…)`);
    return null;
  };
  const F = {
    abs: (n) => Math.abs(n),
    alltrue: (l) => (hasUnknown(l) ? new Unknown('alltrue(…)') : l.every((x) => x === true)),
    anytrue: (l) => (hasUnknown(l) ? new Unknown('anytrue(…)') : l.some((x) => x === true)),
    regex: (re, s) => {
      const m = new RegExp(re).exec(str(s));
      if (!m) throw new EvalError(`regex: no match of ${re}`);
      return m.length > 1 ? m.slice(1) : m[0];
    },
    base64encode: (s) => (isUnknown(s) ? new Unknown('base64encode(…)') : Buffer.from(str(s)).toString('base64')),
    coalesce: (...a) => {
      for (const v of a) if (v !== null && v !== '') return v;
      throw new EvalError('coalesce: no non-null, non-empty argument');
    },
    compact: (l) => l.filter((v) => v !== null && v !== ''),
    concat: (...ls) => ls.flat(1),
    contains: (l, v) => strict('contains', [l, v]) || l.some((x) => deepEqual(x, v)),
    distinct: (l) => l.filter((v, i) => l.findIndex((x) => deepEqual(x, v)) === i),
    endswith: (s, suffix) => str(s).endsWith(suffix),
    file: (p) => ctx.readFile(str(p)),
    fileexists: (p) => ctx.fileExists(str(p)),
    filesha256: (p) => ctx.fileSha256(str(p)),
    flatten: (l) => {
      const out = [];
      const walk = (x) => (Array.isArray(x) ? x.forEach(walk) : out.push(x));
      walk(l);
      return out;
    },
    format: (fmt, ...a) => {
      if (strict('format', [fmt, ...a])) return new Unknown('format(…)');
      let i = 0;
      return fmt.replace(/%(%|s|d|v|q)/g, (m, k) => (k === '%' ? '%' : k === 'q' ? JSON.stringify(a[i++]) : toStr(a[i++])));
    },
    join: (sep, l) => (hasUnknown(l) ? new Unknown('join(…)') : l.map((x) => toStr(x)).join(sep)),
    jsondecode: (s) => JSON.parse(str(s)),
    jsonencode: (v) => (hasUnknown(v) ? new Unknown('jsonencode(…)') : JSON.stringify(v)),
    keys: (m) => Object.keys(m).sort(),
    length: (v) => (isUnknown(v) ? v : Array.isArray(v) ? v.length : isObj(v) ? Object.keys(v).length : [...str(v)].length),
    lookup: (m, k, ...d) => {
      if (Object.prototype.hasOwnProperty.call(m, k)) return m[k];
      if (d.length) return d[0];
      throw new EvalError(`lookup: no key ${k}`);
    },
    lower: (s) => (isUnknown(s) ? s : str(s).toLowerCase()),
    max: (...n) => Math.max(...n),
    merge: (...ms) => {
      const out = {};
      for (const m of ms) {
        if (m === null) continue;
        if (!isObj(m)) throw new EvalError('merge: arguments must be maps or objects');
        Object.assign(out, m);
      }
      return out;
    },
    min: (...n) => Math.min(...n),
    one: (l) => (l.length === 0 ? null : l.length === 1 ? l[0] : (() => { throw new EvalError('one: more than one element'); })()),
    replace: (s, from, to) => {
      if (strict('replace', [s, from, to])) return new Unknown('replace(…)');
      if (from.length > 1 && from.startsWith('/') && from.endsWith('/')) return s.replace(new RegExp(from.slice(1, -1), 'g'), to);
      return s.split(from).join(to);
    },
    sha1: (s) => crypto.createHash('sha1').update(str(s)).digest('hex'),
    sha256: (s) => crypto.createHash('sha256').update(str(s)).digest('hex'),
    sort: (l) => [...l].sort(),
    split: (sep, s) => str(s).split(sep),
    startswith: (s, prefix) => str(s).startsWith(prefix),
    substr: (s, off, len) => [...str(s)].slice(off, len < 0 ? undefined : off + len).join(''),
    sum: (l) => l.reduce((a, b) => a + b, 0),
    tobool: (v) => (v === 'true' ? true : v === 'false' ? false : v),
    tolist: (l) => [...l],
    tomap: (m) => ({ ...m }),
    tonumber: (v) => (isUnknown(v) ? v : Number(v)),
    toset: (l) => mkSet(l),
    tostring: (v) => (v === null ? null : toStr(v)),
    trimprefix: (s, p) => (str(s).startsWith(p) ? s.slice(p.length) : s),
    trimsuffix: (s, p) => (str(s).endsWith(p) ? s.slice(0, -p.length) : s),
    upper: (s) => (isUnknown(s) ? s : str(s).toUpperCase()),
    values: (m) => Object.keys(m).sort().map((k) => m[k]),
    zipmap: (ks, vs) => Object.fromEntries(ks.map((k, i) => [k, vs[i]])),
  };
  return F;
}

// ---- evaluation --------------------------------------------------------------------------------------------
// scope: { lookup(name) -> value | undefined } chained; ctx: { readFile, fileExists, fileSha256, root(name) }

function evaluate(node, scope, ctx) {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'paren':
      return evaluate(node.e, scope, ctx);
    case 'template': {
      if (node.parts.length === 1 && typeof node.parts[0] !== 'string') return evaluate(node.parts[0], scope, ctx);
      const vals = node.parts.map((p) => (typeof p === 'string' ? p : toStr(evaluate(p, scope, ctx), 'interpolation')));
      if (vals.some(isUnknown)) return Unknown.template(vals.map((v) => (isUnknown(v) ? v.repr : v)).join(''));
      return vals.join('');
    }
    case 'tuple':
      return node.items.map((e) => evaluate(e, scope, ctx));
    case 'object': {
      const out = {};
      for (const { key, value } of node.items) {
        const k = evaluate(key, scope, ctx);
        if (isUnknown(k)) return new Unknown('{…}');
        out[toStr(k, 'object key')] = evaluate(value, scope, ctx);
      }
      return out;
    }
    case 'var': {
      const v = scope.lookup(node.name);
      if (v === undefined) throw new EvalError(`unknown name ${node.name}`);
      return v;
    }
    case 'attr':
      return getAttr(evaluate(node.e, scope, ctx), node.name);
    case 'index':
      return getIndex(evaluate(node.e, scope, ctx), evaluate(node.key, scope, ctx));
    case 'splat': {
      let v = evaluate(node.e, scope, ctx);
      if (isUnknown(v)) return v;
      if (v === null) return [];
      if (!Array.isArray(v)) v = [v];
      return v.map((item) => node.rest.reduce((acc, step) => (step.t === 'attr'
        ? getAttr(acc, step.name) : getIndex(acc, evaluate(step.key, scope, ctx))), item));
    }
    case 'not': {
      const v = evaluate(node.e, scope, ctx);
      return isUnknown(v) ? v : !v;
    }
    case 'neg': {
      const v = evaluate(node.e, scope, ctx);
      return isUnknown(v) ? v : -v;
    }
    case 'bin':
      return binary(node, scope, ctx);
    case 'cond': {
      const c = evaluate(node.cond, scope, ctx);
      if (isUnknown(c)) return new Unknown('(conditional)');
      if (typeof c !== 'boolean') throw new EvalError('condition is not a bool');
      return evaluate(c ? node.a : node.b, scope, ctx);
    }
    case 'for':
      return forExpr(node, scope, ctx);
    case 'call':
      return call(node, scope, ctx);
    default:
      throw new EvalError(`cannot evaluate ${node.t}`);
  }
}

function getAttr(v, name) {
  if (isUnknown(v)) return new Unknown(`${v.text}.${name}`);
  if (v && v.__proxy) return v.get(name);
  if (isObj(v)) {
    if (!Object.prototype.hasOwnProperty.call(v, name)) throw new EvalError(`unsupported attribute "${name}"`);
    return v[name];
  }
  throw new EvalError(`cannot read .${name} of ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}`);
}

function getIndex(v, k) {
  if (isUnknown(v)) return new Unknown(`${v.text}[${JSON.stringify(k)}]`);
  if (isUnknown(k)) return new Unknown('(index)');
  if (v && v.__proxy) return v.index(k);
  if (Array.isArray(v)) {
    if (v[SET]) throw new EvalError('a set cannot be indexed');
    if (typeof k !== 'number' || k < 0 || k >= v.length) throw new EvalError(`index ${k} out of range`);
    return v[k];
  }
  if (isObj(v)) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) throw new EvalError(`no key ${JSON.stringify(k)}`);
    return v[k];
  }
  throw new EvalError(`cannot index ${v === null ? 'null' : typeof v}`);
}

function binary(node, scope, ctx) {
  const l = evaluate(node.left, scope, ctx);
  if (node.op === '&&' && l === false) return false;
  if (node.op === '||' && l === true) return true;
  const r = evaluate(node.right, scope, ctx);
  if (isUnknown(l) || isUnknown(r)) return new Unknown(`(${node.op})`);
  switch (node.op) {
    case '==': return deepEqual(l, r);
    case '!=': return !deepEqual(l, r);
    case '&&': return l && r;
    case '||': return l || r;
    default:
  }
  const a = Number(l);
  const b = Number(r);
  if (Number.isNaN(a) || Number.isNaN(b)) throw new EvalError(`operator ${node.op} needs numbers`);
  switch (node.op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    default: throw new EvalError(`operator ${node.op}`);
  }
}

function forExpr(node, scope, ctx) {
  const coll = evaluate(node.coll, scope, ctx);
  if (isUnknown(coll)) return new Unknown('(for expression over an unknown collection)');
  const entries = Array.isArray(coll) ? coll.map((v, i) => [coll[SET] ? v : i, v])
    : isObj(coll) ? Object.keys(coll).sort().map((k) => [k, coll[k]]) : null;
  if (!entries) throw new EvalError('for expression over a value that is not a collection');
  const out = node.object ? {} : [];
  for (const [k, v] of entries) {
    const inner = child(scope, { ...(node.k ? { [node.k]: k } : {}), [node.v]: v });
    if (node.cond) {
      const c = evaluate(node.cond, inner, ctx);
      if (isUnknown(c)) return new Unknown('(for expression with an unknown condition)');
      if (!c) continue;
    }
    if (node.object) {
      const key = toStr(evaluate(node.keyExpr, inner, ctx), 'for key');
      if (isUnknown(key)) return new Unknown('(for expression with an unknown key)');
      const val = evaluate(node.valExpr, inner, ctx);
      if (node.group) (out[key] = out[key] || []).push(val);
      else if (Object.prototype.hasOwnProperty.call(out, key)) throw new EvalError(`duplicate key ${key} in a for expression (use ... to group)`);
      else out[key] = val;
    } else {
      out.push(evaluate(node.valExpr, inner, ctx));
    }
  }
  return out;
}

function call(node, scope, ctx) {
  if (node.name === 'try') {
    for (const a of node.args) {
      try {
        return evaluate(a, scope, ctx);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
      }
    }
    throw new EvalError('try: no argument could be evaluated');
  }
  if (node.name === 'can') {
    try {
      evaluate(node.args[0], scope, ctx);
      return true;
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      return false;
    }
  }
  const fn = ctx.functions[node.name];
  if (!fn) throw new EvalError(`unknown function ${node.name}()`);
  let args = node.args.map((a) => evaluate(a, scope, ctx));
  if (node.expand) {
    const last = args.pop();
    if (isUnknown(last)) return new Unknown(`${node.name}(…)`);
    if (!Array.isArray(last)) throw new EvalError(`${node.name}: ... needs a list`);
    args = args.concat(last);
  }
  if (['file', 'filesha256', 'fileexists', 'merge', 'concat', 'flatten', 'keys', 'values', 'toset', 'tolist', 'sort', 'distinct', 'lookup', 'sum', 'min', 'max'].includes(node.name)
    && args.some((a) => isUnknown(a))) {
    return new Unknown(`${node.name}(…)`);
  }
  return fn(...args);
}

function child(parent, vars) {
  return { lookup: (name) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : parent.lookup(name)) };
}

// ---- type constraints (variables) --------------------------------------------------------------------------
function parseType(node) {
  if (node.t === 'template' && node.parts.length === 1 && typeof node.parts[0] !== 'string') return parseType(node.parts[0]);
  if (node.t === 'var') return { kind: node.name };
  if (node.t === 'call') {
    const [a, b] = node.args;
    switch (node.name) {
      case 'list': case 'set': case 'map': return { kind: node.name, of: parseType(a) };
      case 'object': {
        if (a.t !== 'object') throw new EvalError('object() takes an object of attribute types');
        const attrs = {};
        for (const item of a.items) {
          const name = item.key.t === 'lit' ? item.key.v : item.key.parts[0];
          const v = item.value;
          if (v.t === 'call' && v.name === 'optional') attrs[name] = { type: parseType(v.args[0]), optional: true, dflt: v.args[1] };
          else attrs[name] = { type: parseType(v), optional: false };
        }
        return { kind: 'object', attrs };
      }
      case 'tuple': return { kind: 'tuple', items: a.items.map(parseType) };
      default:
    }
  }
  throw new EvalError(`unsupported type constraint ${JSON.stringify(node).slice(0, 80)}`);
}

function convert(type, value, path, ctx) {
  if (value === null || isUnknown(value)) return value;
  switch (type.kind) {
    case 'any': return value;
    case 'string': return toStr(value, path);
    case 'number': {
      const n = Number(value);
      if (Number.isNaN(n)) throw new EvalError(`${path}: a number is required`);
      return n;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new EvalError(`${path}: a bool is required`);
    case 'list': case 'set': {
      if (!Array.isArray(value)) throw new EvalError(`${path}: a ${type.kind} is required`);
      const out = value.map((v, i) => convert(type.of, v, `${path}[${i}]`, ctx));
      return type.kind === 'set' ? mkSet(out) : out;
    }
    case 'map': {
      if (!isObj(value)) throw new EvalError(`${path}: a map is required`);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(type.of, v, `${path}.${k}`, ctx)]));
    }
    case 'object': {
      if (!isObj(value)) throw new EvalError(`${path}: an object is required`);
      const out = {};
      for (const [name, a] of Object.entries(type.attrs)) {
        let v = Object.prototype.hasOwnProperty.call(value, name) ? value[name] : undefined;
        if (v === undefined && !a.optional) throw new EvalError(`${path}: attribute "${name}" is required`);
        if ((v === undefined || v === null) && a.optional) v = a.dflt ? evaluate(a.dflt, { lookup: () => undefined }, ctx) : null;
        out[name] = convert(a.type, v, `${path}.${name}`, ctx);
      }
      return out;
    }
    case 'tuple':
      return type.items.map((t, i) => convert(t, value[i], `${path}[${i}]`, ctx));
    default:
      throw new EvalError(`${path}: unknown type ${type.kind}`);
  }
}

/** Evaluates a JSON value from hcl2json: strings are templates, arrays and objects are walked. */
function evaluateJson(value, scope, ctx, where) {
  if (typeof value === 'string') return evaluate(parseTemplate(value, where), scope, ctx);
  if (Array.isArray(value)) return value.map((v) => evaluateJson(v, scope, ctx, where));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateJson(v, scope, ctx, where)]));
  return value;
}

module.exports = {
  EvalError, Unknown, SET, mkSet, isObj, isUnknown, hasUnknown, deepEqual,
  builtins, evaluate, evaluateJson, child, parseType, convert, parseExpression, parseTemplate,
};
