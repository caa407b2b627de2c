'use strict';
// HCL native expression and template syntax (the subset Terraform configurations use), parsed into a small
// AST. hcl2json hands every attribute over as JSON in which expressions are "${...}" templates; this parser
// reads those templates so the check can evaluate them (eval.js).

class ParseError extends Error {}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;

class Parser {
  constructor(src, where) {
    this.src = src;
    this.i = 0;
    this.where = where || 'expression';
  }

  fail(msg) {
    throw new ParseError(`${this.where}: ${msg} at offset ${this.i} in ${JSON.stringify(this.src.slice(0, 200))}`);
  }

  skipSpace() {
    for (;;) {
      const c = this.src[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.i++;
      } else if (c === '#' || (c === '/' && this.src[this.i + 1] === '/')) {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
      } else if (c === '/' && this.src[this.i + 1] === '*') {
        const end = this.src.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('unterminated comment');
        this.i = end + 2;
      } else {
        return;
      }
    }
  }

  peek(s) {
    this.skipSpace();
    return this.src.startsWith(s, this.i);
  }

  eat(s) {
    if (this.peek(s)) {
      this.i += s.length;
      return true;
    }
    return false;
  }

  expect(s) {
    if (!this.eat(s)) this.fail(`expected '${s}'`);
  }

  peekIdent() {
    this.skipSpace();
    if (!IDENT_START.test(this.src[this.i] || '')) return null;
    let j = this.i + 1;
    while (j < this.src.length && IDENT_CHAR.test(this.src[j])) j++;
    return this.src.slice(this.i, j);
  }

  ident() {
    const id = this.peekIdent();
    if (id === null) this.fail('expected an identifier');
    this.i += id.length;
    return id;
  }

  keyword(word) {
    const id = this.peekIdent();
    if (id === word) {
      this.i += word.length;
      return true;
    }
    return false;
  }

  // ---- expressions -------------------------------------------------------------------------------------
  expression() {
    const cond = this.binary(0);
    if (this.peek('?')) {
      this.i++;
      const a = this.expression();
      this.expect(':');
      const b = this.expression();
      return { t: 'cond', cond, a, b };
    }
    return cond;
  }

  binary(level) {
    const levels = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];
    if (level === levels.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skipSpace();
      const op = levels[level].find((o) => this.src.startsWith(o, this.i));
      if (!op || (op === '<' && this.src[this.i + 1] === '<')) return left;
      this.i += op.length;
      const right = this.binary(level + 1);
      left = { t: 'bin', op, left, right };
    }
  }

  unary() {
    this.skipSpace();
    if (this.src[this.i] === '!' && this.src[this.i + 1] !== '=') {
      this.i++;
      return { t: 'not', e: this.unary() };
    }
    if (this.src[this.i] === '-') {
      this.i++;
      return { t: 'neg', e: this.unary() };
    }
    return this.postfix(this.primary());
  }

  postfix(e) {
    for (;;) {
      this.skipSpace();
      if (this.src.startsWith('.*', this.i)) {
        this.i += 2;
        e = { t: 'splat', e, rest: this.splatRest() };
      } else if (this.src.startsWith('[*]', this.i)) {
        this.i += 3;
        e = { t: 'splat', e, rest: this.splatRest() };
      } else if (this.src[this.i] === '.' && this.src[this.i + 1] !== '.') {
        this.i++;
        this.skipSpace();
        if (/[0-9]/.test(this.src[this.i])) {
          const m = /^[0-9]+/.exec(this.src.slice(this.i));
          this.i += m[0].length;
          e = { t: 'index', e, key: { t: 'lit', v: Number(m[0]) } };
        } else {
          e = { t: 'attr', e, name: this.ident() };
        }
      } else if (this.src[this.i] === '[') {
        this.i++;
        const key = this.expression();
        this.expect(']');
        e = { t: 'index', e, key };
      } else {
        return e;
      }
    }
  }

  // The traversal after a splat operator, applied to each element: .a.b[0]
  splatRest() {
    const steps = [];
    for (;;) {
      this.skipSpace();
      if (this.src[this.i] === '.' && this.src[this.i + 1] !== '.' && this.src[this.i + 1] !== '*') {
        this.i++;
        steps.push({ t: 'attr', name: this.ident() });
      } else if (this.src[this.i] === '[' && this.src[this.i + 1] !== '*') {
        this.i++;
        const key = this.expression();
        this.expect(']');
        steps.push({ t: 'index', key });
      } else {
        return steps;
      }
    }
  }

  primary() {
    this.skipSpace();
    const c = this.src[this.i];
    if (c === undefined) this.fail('unexpected end');
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.i));
      this.i += m[0].length;
      return { t: 'lit', v: Number(m[0]) };
    }
    if (c === '"') {
      this.i++;
      return this.template('"');
    }
    if (c === '<' && this.src.startsWith('<<', this.i)) this.fail('heredocs inside expressions are not supported by this check');
    if (c === '(') {
      this.i++;
      const e = this.expression();
      this.expect(')');
      return { t: 'paren', e };
    }
    if (c === '[') {
      this.i++;
      if (this.keyword('for')) return this.forExpr(']');
      const items = [];
      while (!this.eat(']')) {
        items.push(this.expression());
        if (!this.eat(',')) {
          this.expect(']');
          break;
        }
      }
      return { t: 'tuple', items };
    }
    if (c === '{') {
      this.i++;
      if (this.keyword('for')) return this.forExpr('}');
      const items = [];
      while (!this.eat('}')) {
        let key;
        const id = this.peekIdent();
        if (id !== null) {
          this.i += id.length;
          key = { t: 'lit', v: id };
        } else {
          key = this.expression();
        }
        if (!this.eat('=') && !this.eat(':')) this.fail("expected '=' or ':' in an object");
        items.push({ key, value: this.expression() });
        this.eat(',');
      }
      return { t: 'object', items };
    }
    const id = this.ident();
    if (id === 'true') return { t: 'lit', v: true };
    if (id === 'false') return { t: 'lit', v: false };
    if (id === 'null') return { t: 'lit', v: null };
    if (this.peek('(') && !this.src.slice(this.i).match(/^\(\s*\)\s*=/)) {
      this.i++;
      const args = [];
      let expand = false;
      while (!this.eat(')')) {
        args.push(this.expression());
        if (this.eat('...')) expand = true;
        if (!this.eat(',')) {
          this.expect(')');
          break;
        }
      }
      return { t: 'call', name: id, args, expand };
    }
    return { t: 'var', name: id };
  }

  forExpr(close) {
    let k = this.ident();
    let v = null;
    if (this.eat(',')) v = this.ident();
    else [k, v] = [null, k];
    if (!this.keyword('in')) this.fail("expected 'in'");
    const coll = this.expression();
    this.expect(':');
    let keyExpr = null;
    let valExpr = this.expression();
    let group = false;
    if (close === '}') {
      this.expect('=>');
      keyExpr = valExpr;
      valExpr = this.expression();
      group = this.eat('...');
    }
    let cond = null;
    if (this.keyword('if')) cond = this.expression();
    this.expect(close);
    return { t: 'for', object: close === '}', k, v, coll, keyExpr, valExpr, group, cond };
  }

  // ---- templates -----------------------------------------------------------------------------------------
  // Reads template parts up to the closing quote (or to the end for a bare template).
  template(quote) {
    const parts = [];
    let text = '';
    for (;;) {
      if (this.i >= this.src.length) {
        if (quote) this.fail('unterminated string');
        break;
      }
      const c = this.src[this.i];
      if (quote && c === quote) {
        this.i++;
        break;
      }
      if (c === '\\' && quote) {
        const n = this.src[this.i + 1];
        const esc = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }[n];
        if (esc !== undefined) {
          text += esc;
          this.i += 2;
        } else if (n === 'u') {
          text += String.fromCharCode(parseInt(this.src.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else {
          this.fail(`bad escape \\${n}`);
        }
        continue;
      }
      if (this.src.startsWith('$${', this.i) || this.src.startsWith('%%{', this.i)) {
        text += this.src[this.i] + '{';
        this.i += 3;
        continue;
      }
      if (this.src.startsWith('%{', this.i)) this.fail('template directives (%{ }) are not supported by this check');
      if (this.src.startsWith('${', this.i)) {
        if (text) parts.push(text);
        text = '';
        this.i += 2;
        this.eat('~');
        const e = this.expression();
        this.eat('~');
        this.expect('}');
        parts.push(e);
        continue;
      }
      text += c;
      this.i++;
    }
    if (text || parts.length === 0) parts.push(text);
    return { t: 'template', parts };
  }
}

/** Parses one native-syntax expression. */
function parseExpression(src, where) {
  const p = new Parser(src, where);
  const e = p.expression();
  p.skipSpace();
  if (p.i !== src.length) p.fail('unexpected text after the expression');
  return e;
}

/** Parses a JSON-syntax string value: a template whose "${...}" parts are expressions. */
function parseTemplate(src, where) {
  const p = new Parser(src, where);
  return p.template(null);
}

module.exports = { parseExpression, parseTemplate, ParseError };
