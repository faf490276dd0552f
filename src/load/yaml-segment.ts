// Where the characters of a YAML string scalar are in its file (both YAML readers use it).
import type { TextSegment } from "./lnode.js";
import type { Source, Span } from "./source.js";

/**
 * Locates the characters of a string scalar in the file. Each line of the value is looked up in
 * the scalar's source text in order; this is exact for block scalars and for quoted or plain
 * scalars without escapes, and falls back to the scalar's start otherwise.
 */
export function yamlStringSegment(source: Source, span: Span, value: string): TextSegment {
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
