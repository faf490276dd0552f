// A short, unified-style diff for --check. Header strings are single lines of several KB, so each shown
// line is clipped to a window around the first column where it differs instead of printed whole.
import { escapeControls } from "../diagnostics/escape.js";

const BEFORE = 40;
const AFTER = 80;
const MAX_LINES = 5;

function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** `line` cut to [column - BEFORE, column + AFTER), with `…` where text was cut; control characters made visible. */
export function clip(line: string, column: number): string {
  const start = Math.max(0, column - BEFORE);
  const end = Math.min(line.length, column + AFTER);
  const body = escapeControls(line.slice(start, end));
  return `${start > 0 ? "…" : ""}${body}${end < line.length ? "…" : ""}`;
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Diff of a file that would be created. */
export function newFileDiff(file: string, next: string): string {
  const lines = splitLines(next);
  const shown = lines.slice(0, MAX_LINES).map((l) => `+${clip(l, 0)}`);
  if (lines.length > MAX_LINES) shown.push(`… ${lines.length - MAX_LINES} more lines`);
  return [`--- ${file} (missing)`, `+++ ${file} (generated)`, `@@ new file, ${lines.length} lines @@`, ...shown].join("\n") + "\n";
}

/** Diff between what is on disk and what would be written: the first differing region only. */
export function shortDiff(file: string, current: string, next: string): string {
  const a = splitLines(current);
  const b = splitLines(next);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const oldLines = a.slice(start, endA);
  const newLines = b.slice(start, endB);
  const out = [`--- ${file} (on disk)`, `+++ ${file} (generated)`];
  if (oldLines.length === 0 && newLines.length === 0) {
    out.push("@@ only line endings or the final newline differ @@");
    return out.join("\n") + "\n";
  }
  const column = firstDifference(oldLines[0] ?? "", newLines[0] ?? "");
  out.push(`@@ -${start + 1},${oldLines.length} +${start + 1},${newLines.length} @@ first difference at line ${start + 1}, column ${column + 1}`);
  if (oldLines.length === newLines.length) {
    // Same shape (the usual case: header values changed in place): show only the lines that
    // differ, each pair clipped around its own first difference.
    const changed = oldLines.flatMap((line, i) => (line === newLines[i] ? [] : [i]));
    for (const i of changed.slice(0, MAX_LINES)) {
      const column = firstDifference(oldLines[i] as string, newLines[i] as string);
      out.push(`-${clip(oldLines[i] as string, column)}`, `+${clip(newLines[i] as string, column)}`);
    }
    if (changed.length > MAX_LINES) out.push(`… ${changed.length - MAX_LINES} more changed lines`);
  } else {
    const show = (lines: string[], sign: string) => {
      lines.slice(0, MAX_LINES).forEach((line) => out.push(`${sign}${clip(line, 0)}`));
      if (lines.length > MAX_LINES) out.push(`${sign}… ${lines.length - MAX_LINES} more lines`);
    };
    show(oldLines, "-");
    show(newLines, "+");
  }
  return out.join("\n") + "\n";
}
