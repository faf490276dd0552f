/**
 * Python's `json.dumps(obj)` with its defaults (ensure_ascii, separators ", " and ": "), byte for
 * byte, including `repr(float)`. `indent` gives the pretty form used by `print`.
 */
import { PyFloat, isPyMap, type PyValue } from "./pyvalue.js";

export interface DumpOptions {
  /** Pretty-print with this many spaces (Python's `indent=`); compact when absent. */
  indent?: number;
  /** Escape every non-ASCII character (Python's default `ensure_ascii=True`). */
  ascii?: boolean;
}

export function pyDumps(value: PyValue, options: DumpOptions = {}): string {
  const ascii = options.ascii ?? true;
  const out: string[] = [];
  write(value, out, ascii, options.indent, "");
  return out.join("");
}

function write(v: PyValue, out: string[], ascii: boolean, indent: number | undefined, pad: string): void {
  if (v === null) out.push("null");
  else if (v === true) out.push("true");
  else if (v === false) out.push("false");
  else if (typeof v === "string") out.push(quote(v, ascii));
  else if (typeof v === "number") out.push(formatInt(v));
  else if (typeof v === "bigint") out.push(v.toString());
  else if (v instanceof PyFloat) out.push(floatRepr(v.value));
  else if (Array.isArray(v)) {
    if (v.length === 0) return void out.push("[]");
    const inner = indent === undefined ? "" : pad + " ".repeat(indent);
    out.push(indent === undefined ? "[" : "[\n" + inner);
    v.forEach((item, i) => {
      if (i > 0) out.push(indent === undefined ? ", " : ",\n" + inner);
      write(item, out, ascii, indent, inner);
    });
    out.push(indent === undefined ? "]" : "\n" + pad + "]");
  } else if (isPyMap(v)) {
    if (v.size === 0) return void out.push("{}");
    const inner = indent === undefined ? "" : pad + " ".repeat(indent);
    out.push(indent === undefined ? "{" : "{\n" + inner);
    let first = true;
    for (const [k, item] of v) {
      if (!first) out.push(indent === undefined ? ", " : ",\n" + inner);
      first = false;
      out.push(quote(k, ascii), ": ");
      write(item, out, ascii, indent, inner);
    }
    out.push(indent === undefined ? "}" : "\n" + pad + "}");
  }
}

function formatInt(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not an exact integer`);
  return String(n);
}

const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: "\\\\", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0c: "\\f" };

/** A JSON string as Python writes it: short escapes, `\u00XX` for other controls, `\uXXXX` (lowercase) beyond ASCII. */
export function quote(s: string, ascii = true): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Python's ensure_ascii leaves only ' '..'~' as is: DEL (0x7f) is escaped too.
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0x7f || !ascii)) continue;
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
