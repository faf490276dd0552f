// A fast reader for the plain shape most configs have: block mappings and sequences, one-line flow
// collections, one-line plain and quoted scalars, comments. It builds exactly the located nodes the full
// parser (yaml.ts) builds, in a fraction of the time and garbage: a config of 10,000 environments spent
// most of its compile time inside the `yaml` package.
//
// It never reports anything: on the first character it is not certain about (a tag, an anchor, a block
// scalar, an escape, a multi-line scalar, a tab, a non-ASCII character, a duplicate or forbidden key, an
// empty value, anything the full parser might call an error) it gives up, and the full parser reads the
// file and reports what it finds. So diagnostics come from one place only.
//
// Spans equal the full parser's, with one difference no output can show: a block collection spanning
// several lines ends where its last value ends, not after comment lines that follow it (a location
// only uses a span's start and, for its underline, the end of the span's first line).
import type { LEntry, LNode, LScalar, ScalarValue } from "./lnode.js";
import type { Source, Span } from "./source.js";
import { yamlStringSegment } from "./yaml-segment.js";

const NL = 10;
const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Thrown to give the file to the full parser; never escapes this module. */
const GIVE_UP: unique symbol = Symbol("give up");

/** The file's root mapping, or undefined when the full parser must read it. */
export function parseYamlFast(source: Source): LNode | undefined {
  const text = source.text;
  if (!plainText(text)) return undefined;
  try {
    return new FastReader(source).document();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

/** Only printable ASCII and line feeds: no tabs, CRs, BOMs or Unicode line breaks to get right. */
function plainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < SPACE && c !== NL) || c > 126) return false;
  }
  return true;
}

function giveUp(): never {
  throw GIVE_UP;
}

// The core schema's plain-scalar tests, tried in the order the full parser tries them.
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_RE = /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/;
const NON_FINITE_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_NO_EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const FLOAT_EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;

/** A plain scalar's value as the full parser resolves it (yaml.ts then narrows safe bigints to numbers). */
function resolvePlain(raw: string): { value: ScalarValue; float: boolean } {
  if (NULL_RE.test(raw)) return { value: null, float: false };
  if (BOOL_RE.test(raw)) return { value: raw[0] === "t" || raw[0] === "T", float: false };
  if (INT_RE.test(raw)) {
    const big = BigInt(raw);
    const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
    return { value: safe ? Number(big) : big, float: false };
  }
  if (NON_FINITE_RE.test(raw)) giveUp();
  if (FLOAT_EXP_RE.test(raw) || FLOAT_NO_EXP_RE.test(raw)) {
    const value = Number.parseFloat(raw);
    if (!Number.isFinite(value)) giveUp();
    return { value, float: true };
  }
  return { value: raw, float: false };
}

const isFlowIndicator = (c: number): boolean => c === 44 || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }

/** Characters that may not start a plain scalar (YAML's c-indicator), apart from `-` which is checked apart. */
const NOT_PLAIN_START = new Set([..."?:,[]{}#&*!|>'\"%@`"].map((c) => c.charCodeAt(0)));

/** A key as read, before its value. */
interface Key {
  key: string;
  span: Span;
  plain: boolean;
}

class FastReader {
  private readonly text: string;
  private pos = 0;

  constructor(private readonly source: Source) {
    this.text = source.text;
  }

  document(): LNode {
    const indent = this.nextContentLine();
    if (indent !== 0) giveUp(); // empty, or a root that is not a mapping at column 1
    const root = this.blockMap(0);
    if (this.pos < this.text.length) giveUp();
    return root;
  }

  private span(start: number, end: number): Span {
    return { source: this.source, start, end };
  }

  private code(at = this.pos): number {
    return at < this.text.length ? this.text.charCodeAt(at) : -1;
  }

  /**
   * From the start of a line, skips blank and comment lines; returns the indent of the next content
   * line with `pos` on its first character, or -1 at the end of the file.
   */
  private nextContentLine(): number {
    const text = this.text;
    for (;;) {
      const lineStart = this.pos;
      let i = lineStart;
      while (text.charCodeAt(i) === SPACE) i++;
      if (i >= text.length) {
        this.pos = text.length;
        return -1;
      }
      const c = text.charCodeAt(i);
      if (c === NL || c === HASH) {
        const nl = text.indexOf("\n", i);
        if (nl < 0) {
          this.pos = text.length;
          return -1;
        }
        this.pos = nl + 1;
        continue;
      }
      // Directives and document markers belong to the full parser.
      if (i === lineStart && (c === 37 || text.startsWith("---", i) || text.startsWith("...", i))) giveUp();
      this.pos = i;
      return i - lineStart;
    }
  }

  /** After a value: spaces, an optional comment, then the line break (consumed) or the end of the file. Returns the offset after them. */
  private endOfLine(): number {
    const text = this.text;
    let i = this.pos;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i < text.length && text.charCodeAt(i) === HASH) {
      if (i === this.pos) giveUp(); // a comment must be separated from the value
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
    }
    if (i < text.length) {
      if (text.charCodeAt(i) !== NL) giveUp();
      i++;
    }
    this.pos = i;
    return i;
  }

  /** A block mapping whose keys start at column `indent`; `pos` is on its first key. Returns with `pos` at the start of the line after it. */
  private blockMap(indent: number): LNode {
    const start = this.pos;
    const entries = new Map<string, LEntry>();
    let end = start;
    for (;;) {
      const key = this.key(false);
      if (this.code() !== COLON) giveUp();
      this.pos++;
      let value: LNode;
      let i = this.pos;
      while (this.code(i) === SPACE) i++;
      const c = this.code(i);
      const inline = c !== NL && c !== HASH && c !== -1;
      if (inline && i === this.pos) giveUp(); // `"key":value`
      if (inline) {
        this.pos = i;
        value = this.flowValue(false);
        end = this.endOfLine();
      } else {
        this.endOfLine();
        const childIndent = this.nextContentLine();
        const dash = this.code() === DASH && this.isSeqItem();
        if (dash && childIndent >= indent) value = this.blockSeq(childIndent);
        else if (!dash && childIndent > indent) value = this.blockMap(childIndent);
        else giveUp(); // an empty value: the full parser decides what it is
        end = value.span.end;
      }
      this.addEntry(entries, key, value);
      const next = this.nextContentLine();
      if (next === indent) {
        if (this.code() === DASH && this.isSeqItem()) giveUp(); // a list where a key belongs
        continue;
      }
      if (next > indent) giveUp(); // a continuation line or a wrong indent
      this.toLineStart(next);
      return { kind: "map", entries, span: this.span(start, end) };
    }
  }

  private isSeqItem(): boolean {
    const c = this.code(this.pos + 1);
    return c === SPACE || c === NL || c === -1;
  }

  /** A block sequence whose dashes are at column `indent`; `pos` is on the first dash. */
  private blockSeq(indent: number): LNode {
    const start = this.pos;
    const items: LNode[] = [];
    let end = start;
    for (;;) {
      this.pos++; // the dash
      if (this.code() !== SPACE) giveUp();
      while (this.code() === SPACE) this.pos++;
      const column = this.pos - this.lineStartOf(this.pos);
      let item: LNode;
      if (this.startsCompactMap()) {
        item = this.blockMap(column);
        end = item.span.end;
      } else {
        const c = this.code();
        if (c === NL || c === HASH || c === -1) giveUp(); // an empty item
        item = this.flowValue(false);
        end = this.endOfLine();
      }
      items.push(item);
      const next = this.nextContentLine();
      if (next === indent && this.code() === DASH && this.isSeqItem()) continue;
      if (next > indent) giveUp(); // a continuation line or a wrong indent
      this.toLineStart(next);
      return { kind: "seq", items, span: this.span(start, end) };
    }
  }

  private lineStartOf(at: number): number {
    return this.text.lastIndexOf("\n", at - 1) + 1;
  }

  /** Back from the first character of a content line indented `indent` to its start, for the enclosing block to read. */
  private toLineStart(indent: number): void {
    if (indent > 0) this.pos -= indent;
  }

  /** Whether `pos` starts `key:` followed by a space or the line's end (a mapping inside a list item). */
  private startsCompactMap(): boolean {
    const at = this.pos;
    const c = this.code();
    if (c !== 34 && c !== 39 && (NOT_PLAIN_START.has(c) || (c === DASH && this.isSeqItem()))) {
      this.pos = at;
      return false;
    }
    try {
      this.key(false);
      const colon = this.code() === COLON;
      const next = this.code(this.pos + 1);
      return colon && (next === SPACE || next === NL || next === -1);
    } catch (err) {
      if (err !== GIVE_UP) throw err;
      return false;
    } finally {
      this.pos = at;
    }
  }

  private addEntry(entries: Map<string, LEntry>, key: Key, value: LNode): void {
    // Each of these gets its own diagnostic from the full parser.
    if (entries.has(key.key) || key.key === "__proto__" || (key.plain && key.key === "<<")) giveUp();
    entries.set(key.key, { key: key.key, keySpan: key.span, value });
  }

  /** A mapping key: a plain scalar (kept as written, as yaml.ts keeps it) or a quoted string. */
  private key(inFlow: boolean): Key {
    const c = this.code();
    // An implicit key written over 1,024 characters is a YAML error (quoted or not): leave it to the
    // full parser, with a margin, as for a key resolving to null, which it refuses too.
    if (c === 34 || c === 39) {
      const start = this.pos;
      const key = this.quoted();
      if (this.pos - start > 1000) giveUp();
      return { key, span: this.span(start, this.pos), plain: false };
    }
    const start = this.pos;
    const raw = this.plain(inFlow);
    if (NULL_RE.test(raw) || raw.length > 1000) giveUp();
    return { key: raw, span: this.span(start, this.pos), plain: true };
  }

  /** A scalar or a one-line flow collection at `pos`. */
  private flowValue(inFlow: boolean): LNode {
    const c = this.code();
    if (c === 123) return this.flowMap();
    if (c === 91) return this.flowSeq();
    const start = this.pos;
    if (c === 34 || c === 39) return this.stringNode(this.quoted(), start);
    const raw = this.plain(inFlow);
    const { value, float } = resolvePlain(raw);
    if (typeof value === "string") return this.stringNode(value, start);
    return { kind: "scalar", value, float, span: this.span(start, this.pos) };
  }

  private stringNode(value: string, start: number): LScalar {
    const span = this.span(start, this.pos);
    const out: LScalar = { kind: "scalar", value, float: false, span };
    if (value.length > 0) out.segments = [yamlStringSegment(this.source, span, value)];
    return out;
  }

  /** A one-line quoted scalar without escapes (`''` in single quotes is the only one taken). */
  private quoted(): string {
    const text = this.text;
    const q = text.charCodeAt(this.pos);
    let value = "";
    let from = this.pos + 1;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NL || (c === 92 && q === 34)) giveUp(); // a multi-line scalar or an escape
      if (c !== q) continue;
      if (q === 39 && text.charCodeAt(i + 1) === 39) {
        value += text.slice(from, i + 1);
        from = i + 2;
        i++;
        continue;
      }
      value += text.slice(from, i);
      this.pos = i + 1;
      // After a quoted scalar only a separator may follow on its line.
      const next = this.code();
      if (next !== SPACE && next !== NL && next !== -1 && next !== COLON && next !== 44 && next !== 93 && next !== 125) giveUp();
      return value;
    }
    return giveUp();
  }

  /** A one-line plain scalar, trailing spaces excluded; `pos` ends just after its last character. */
  private plain(inFlow: boolean): string {
    const text = this.text;
    const start = this.pos;
    const first = text.charCodeAt(start);
    if (NOT_PLAIN_START.has(first) || first === SPACE || first === NL || Number.isNaN(first)) giveUp();
    if (first === DASH) {
      const c = this.code(start + 1);
      if (c === SPACE || c === NL || c === -1 || (inFlow && isFlowIndicator(c))) giveUp();
    }
    let end = start + 1;
    let i = start + 1;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NL) break;
      if (c === SPACE) continue;
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) break;
      if (c === COLON) {
        const n = this.code(i + 1);
        if (n === SPACE || n === NL || n === -1 || (inFlow && isFlowIndicator(n))) break;
      }
      if (inFlow && isFlowIndicator(c)) break;
      end = i + 1;
    }
    this.pos = end;
    return text.slice(start, end);
  }

  private skipSpaces(): void {
    while (this.code() === SPACE) this.pos++;
  }

  private flowMap(): LNode {
    const start = this.pos++;
    const entries = new Map<string, LEntry>();
    this.skipSpaces();
    if (this.code() !== 125) {
      for (;;) {
        const key = this.key(true);
        this.skipSpaces();
        if (this.code() !== COLON || this.code(this.pos + 1) !== SPACE) giveUp();
        this.pos++;
        this.skipSpaces();
        const c = this.code();
        if (c === 44 || c === 125) giveUp(); // an empty value
        this.addEntry(entries, key, this.flowValue(true));
        if (!this.flowSeparator(125)) break;
      }
    }
    this.pos++; // }
    return { kind: "map", entries, span: this.span(start, this.pos) };
  }

  private flowSeq(): LNode {
    const start = this.pos++;
    const items: LNode[] = [];
    this.skipSpaces();
    if (this.code() !== 93) {
      for (;;) {
        const item = this.flowValue(true);
        this.skipSpaces();
        if (this.code() === COLON) giveUp(); // a single-pair mapping inside a list
        items.push(item);
        if (!this.flowSeparator(93)) break;
      }
    }
    this.pos++; // ]
    return { kind: "seq", items, span: this.span(start, this.pos) };
  }

  /** After a flow entry: true at `,` (consumed, another entry follows), false at the closing bracket. */
  private flowSeparator(close: number): boolean {
    this.skipSpaces();
    const c = this.code();
    if (c === close) return false;
    if (c !== 44) giveUp();
    this.pos++;
    this.skipSpaces();
    const n = this.code();
    if (n === close || n === 44) giveUp(); // a trailing or doubled comma
    return true;
  }
}
