/**
 * Python's `json.dumps(obj)` with its defaults (ensure_ascii, separators ", " and ": "), byte for
 * byte, including `repr(float)`. `indent` gives the pretty form used by `print`.
 */
import { PyFloat, type PyValue } from "./pyvalue.js";

/**
 * What `pyDumps` takes: the compiler's values (`Map`s keep key order; `PyFloat` marks a float) or
 * plain JSON values as `JSON.parse` gives them. A plain number is an int when it is an integer and
 * a float otherwise; write `new PyFloat(1)` for Python's `1.0`, and a `bigint` for an int beyond 2^53 − 1.
 */
export type PyInput = PyValue | readonly PyInput[] | { readonly [key: string]: PyInput } | ReadonlyMap<string, PyInput>;

export interface DumpOptions {
  /** Pretty-print with this many spaces (Python's `indent=`); compact when absent. */
  indent?: number;
  /** Escape every non-ASCII character (Python's default `ensure_ascii=True`). */
  ascii?: boolean;
}

export function pyDumps(value: PyInput, options: DumpOptions = {}): string {
  const ascii = options.ascii ?? true;
  const out: string[] = [];
  write(value, out, ascii, options.indent, "");
  return out.join("");
}

function write(v: PyInput, out: string[], ascii: boolean, indent: number | undefined, pad: string): void {
  if (v === null) out.push("null");
  else if (v === true) out.push("true");
  else if (v === false) out.push("false");
  else if (typeof v === "string") out.push(quote(v, ascii));
  else if (typeof v === "number") out.push(Number.isInteger(v) ? formatInt(v) : floatRepr(v));
  else if (typeof v === "bigint") out.push(v.toString());
  else if (v instanceof PyFloat) out.push(floatRepr(v.value));
  else if (Array.isArray(v)) {
    if (v.length === 0) return void out.push("[]");
    const inner = indent === undefined ? "" : pad + " ".repeat(indent);
    out.push(indent === undefined ? "[" : "[\n" + inner);
    // An index loop, not forEach: a hole in a sparse array is then undefined, which has no JSON form.
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(indent === undefined ? ", " : ",\n" + inner);
      write(v[i] as PyInput, out, ascii, indent, inner);
    }
    out.push(indent === undefined ? "]" : "\n" + pad + "]");
  } else {
    if (typeof v !== "object") throw new TypeError(`${typeof v} has no JSON form`);
    const proto: unknown = Object.getPrototypeOf(v);
    // A Date, a class instance...: JSON.stringify would call toJSON or drop fields; say so instead.
    if (!(v instanceof Map) && proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${(v as object).constructor?.name ?? "this object"} has no JSON form: pass plain objects, arrays, Maps and PyFloats`);
    }
    const entries: Iterable<readonly [string, PyInput]> = v instanceof Map ? v : Object.entries(v);
    const inner = indent === undefined ? "" : pad + " ".repeat(indent);
    let first = true;
    for (const [k, item] of entries) {
      if (first) out.push(indent === undefined ? "{" : "{\n" + inner);
      else out.push(indent === undefined ? ", " : ",\n" + inner);
      first = false;
      out.push(quote(k, ascii), ": ");
      write(item, out, ascii, indent, inner);
    }
    out.push(first ? "{}" : indent === undefined ? "}" : "\n" + pad + "}");
  }
}

function formatInt(n: number): string {
  if (!Number.isSafeInteger(n))
    throw new RangeError(`${n} is beyond 2^53 - 1, so it may not be the integer meant: pass a bigint for an exact int, or a PyFloat for a float`);
  return String(n);
}

const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: "\\\\", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0c: "\\f" };

const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/g;
const SURROGATE = /[\ud800-\udfff]/;

/** A JSON string as Python writes it: short escapes, `\u00XX` for other controls, `\uXXXX` (lowercase) beyond ASCII. */
export function quote(s: string, ascii = true): string {
  // JSON.stringify escapes exactly as Python does below U+007F (the same short escapes, lowercase
  // \u00XX for other controls, `/` kept) and is native, so it does the bulk of the work. Python's
  // ensure_ascii also escapes DEL and everything beyond ASCII; JSON.stringify keeps those raw, except
  // lone surrogates, which it escapes even where Python (ensure_ascii=False) would not.
  if (ascii) return JSON.stringify(s).replace(NOT_PRINTABLE_ASCII, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  if (!SURROGATE.test(s)) return JSON.stringify(s);
  // ensure_ascii=False with a surrogate: only controls, " and \ are escaped; Python keeps a lone surrogate raw.
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(runStart, i);
    runStart = i + 1;
    const short = SHORT_ESCAPES[c];
    // JS strings are UTF-16, so characters beyond U+FFFF already arrive as the surrogate pair Python writes.
    out += short ?? "\\u" + c.toString(16).padStart(4, "0");
  }
  return out + s.slice(runStart) + '"';
}

/**
 * `repr(float)`: the shortest digits that round-trip (what `toExponential()` gives), in plain
 * notation when the decimal exponent is in [-4, 16), else `d.ddde±XX`.
 */
export function floatRepr(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError("non-finite numbers have no JSON form");
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, expText] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${"0".repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}
