// Where the characters of a YAML string scalar are in its file (both YAML readers use it).
import type { TextSegment } from "./lnode.js";
import type { Source, Span } from "./source.js";

/**
 * Locates the characters of a string scalar in the file. A quoted scalar is decoded again here,
 * recording where each character came from (escapes such as `\"` and `''` take two or more source
 * characters); when that decoding does not give the parser's value, or for other styles, each line
 * of the value is looked up in the scalar's source text in order: exact for block scalars and plain
 * ones, and the scalar's start otherwise.
 */
export function yamlStringSegment(source: Source, span: Span, value: string): TextSegment {
  const byLine = lineSegment(source, span, value);
  const quote = source.hasPositions ? source.text[span.start] : undefined;
  if (quote !== '"' && quote !== "'") return byLine;
  // Worked out when first asked: most strings are never the place of a diagnostic.
  let map: number[] | null | undefined;
  return {
    start: 0,
    end: value.length,
    locate(offset: number): Span {
      map ??= quotedOffsets(source.text.slice(span.start, span.end), value) ?? null;
      if (map === null) return byLine.locate(offset);
      const at = span.start + (map[Math.min(offset, map.length - 1)] ?? 0);
      return { source, start: at, end: at + 1 };
    },
  };
}

/** Each line of the value looked up in the scalar's source text, in order. */
function lineSegment(source: Source, span: Span, value: string): TextSegment {
  let lineStarts: number[] | undefined;
  let valueLines: number[] | undefined;
  const compute = (): number[] => {
    const raw = source.text.slice(span.start, span.end);
    const starts: number[] = [];
    let cursor = 0;
    for (const line of value.split("\n")) {
      const found = line.length > 0 ? raw.indexOf(line, cursor) : -1;
      if (found >= 0) {
        starts.push(span.start + found);
        cursor = found + line.length;
      } else {
        starts.push(line.length === 0 && starts.length > 0 ? span.start + cursor : -1);
      }
    }
    return starts;
  };
  return {
    start: 0,
    end: value.length,
    locate(offset: number): Span {
      lineStarts ??= compute();
      // Which line of the value holds `offset`: binary search, so many diagnostics stay linear.
      valueLines ??= newlineStarts(value);
      let lo = 0;
      let hi = valueLines.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((valueLines[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      const line = lo;
      const lineStart = valueLines[lo] as number;
      const base = lineStarts[line] ?? -1;
      if (base < 0 || !source.hasPositions) return span;
      const at = base + (offset - lineStart);
      return { source, start: at, end: at + 1 };
    },
  };
}

/** Offsets where each line of a value starts; lines are split at "\n" only, as YAML values are. */
function newlineStarts(value: string): number[] {
  const starts = [0];
  for (let i = value.indexOf("\n"); i >= 0; i = value.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * For a quoted scalar's source text (from its opening quote), the source offset of each character of
 * its value, decoded by YAML 1.2's rules for `"..."` (escapes, escaped line breaks) and `'...'` (`''`),
 * with line folding. Undefined unless the decoding gives exactly `value` (then the caller falls back).
 */
function quotedOffsets(raw: string, value: string): number[] | undefined {
  const double = raw[0] === '"';
  const out: string[] = [];
  const at: number[] = [];
  // Per UTF-16 unit, as offsets into the value count them (an escaped astral character is two).
  const push = (text: string, offset: number) => {
    for (let k = 0; k < text.length; k++) {
      out.push(text[k] as string);
      at.push(offset);
    }
  };
  let i = 1;
  while (i < raw.length) {
    const c = raw[i] as string;
    if (c === (double ? '"' : "'")) {
      if (!double && raw[i + 1] === "'") {
        push("'", i);
        i += 2;
        continue;
      }
      break;
    }
    if (double && c === "\\") {
      const e = raw[i + 1] ?? "";
      if (e === "\n" || e === "\r") {
        // An escaped line break: neither the break nor the next line's indentation is part of the value.
        i += e === "\r" && raw[i + 2] === "\n" ? 3 : 2;
        while (raw[i] === " " || raw[i] === "\t") i++;
        continue;
      }
      const digits = HEX_DIGITS[e];
      if (digits !== undefined) {
        const hex = raw.slice(i + 2, i + 2 + digits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
        push(String.fromCodePoint(Number.parseInt(hex, 16)), i);
        i += 2 + digits;
        continue;
      }
      const short = SHORT_ESCAPES[e];
      if (short === undefined) return undefined;
      push(short, i);
      i += 2;
      continue;
    }
    if (c === "\n" || c === "\r") {
      // Line folding: trailing blanks before the break go; one break is a space, each further empty line a newline.
      while (out.length > 0 && (out.at(-1) === " " || out.at(-1) === "\t") && at.at(-1) !== undefined && raw[at.at(-1) as number] !== "\\") {
        out.pop();
        at.pop();
      }
      let breaks = 0;
      const first = i;
      while (i < raw.length && /[\r\n \t]/.test(raw[i] as string)) {
        if (raw[i] === "\n") breaks++;
        i++;
      }
      push(breaks > 1 ? "\n".repeat(breaks - 1) : " ", first);
      continue;
    }
    push(c, i);
    i++;
  }
  return out.join("") === value ? at : undefined;
}
