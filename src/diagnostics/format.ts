import pc from "picocolors";
import { environmentsSuffix, type Diagnostic, type SourceLocation } from "./diagnostic.js";
import { escapeChar, escapeControls, isUnsafeChar } from "./escape.js";
import { LineIndex } from "./positions.js";

/** Texts of the files diagnostics point into, so that a code frame can be shown. */
export type SourceTexts = ReadonlyMap<string, string>;

export interface FormatOptions {
  sources?: SourceTexts;
  /** Show the offending line with a caret under it (default true). */
  codeFrame?: boolean;
  /** ANSI colours (for a terminal; see `useColor`). Default false: the same bytes everywhere else. */
  color?: boolean;
}

const COLORS = pc.createColors(true);
const PLAIN = pc.createColors(false);

/** Colour on a terminal unless NO_COLOR is set; FORCE_COLOR forces it anywhere, FORCE_COLOR=0 turns it off. */
export function useColor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY;
}

/** `FILE:LINE:COL`, or `FILE` when the file has no usable position. */
function formatLocation(location: SourceLocation): string {
  return location.line > 0 ? `${location.file}:${location.line}:${location.column}` : location.file;
}

/** A note that points somewhere else (the rule that shadows this one...): `FILE:LINE:COL: MESSAGE`. */
export function locatedNote(location: SourceLocation, message: string): string {
  return `${formatLocation(location)}: ${message}`;
}

/**
 * `FILE:LINE:COL: error: MESSAGE (environment prod)` then an optional code frame and notes.
 * Control characters from the user's files are shown escaped, never sent to the terminal.
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const c = options.color === true ? COLORS : PLAIN;
  const where = d.location ? c.bold(`${escapeControls(formatLocation(d.location))}:`) + " " : "";
  const label = d.severity === "error" ? c.red(c.bold("error:")) : c.yellow(c.bold("warning:"));
  const message = d.message + environmentsSuffix(d);
  // Escaped before colouring, so the only escape sequences printed are ours.
  const lines = [`${where}${label} ${escapeControls(message)}`];
  const text = d.location && options.sources?.get(d.location.file);
  if (options.codeFrame !== false && d.location && d.location.line > 0 && text !== undefined && options.sources) {
    lines.push(...codeFrame(lineIndex(options.sources, d.location.file, text), d.location.line, d.location.column, d.location.length ?? 1));
  }
  for (const note of d.notes ?? []) lines.push(`  ${c.cyan("note:")} ${escapeControls(note)}`);
  return lines.join("\n");
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  return diagnostics.map((d) => formatDiagnostic(d, options)).join("\n");
}

/**
 * Line indexes of the texts of each `sources` map, built on first use, so that
 * each code frame costs a binary search rather than a pass over its file.
 */
const indexes = new WeakMap<SourceTexts, Map<string, LineIndex>>();

/** The line index the code frames of `file` in `sources` use (built now if it is not yet). */
export function sourceLineIndex(sources: SourceTexts, file: string): LineIndex {
  return lineIndex(sources, file, sources.get(file) ?? "");
}

function lineIndex(sources: SourceTexts, file: string, text: string): LineIndex {
  let byFile = indexes.get(sources);
  if (!byFile) indexes.set(sources, (byFile = new Map()));
  let index = byFile.get(file);
  if (index?.text !== text) byFile.set(file, (index = new LineIndex(text)));
  return index;
}

/** A frame shows at most this many columns of its line; a longer line is clipped around the caret. */
const MAX_COLUMNS = 200;
/** Budgeted width of a tab, the widest a terminal shows it. */
const TAB_COLUMNS = 8;
const ELLIPSIS = "…";

/** Columns the character at `i` takes once shown (escaped if unsafe). */
function widthAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 9) return TAB_COLUMNS;
  return isUnsafeChar(c) ? escapeChar(c).length : 1;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Start of the character before offset `i`: a surrogate pair is one character, never cut in two. */
function before(text: string, i: number): number {
  return i >= 2 && isLow(text.charCodeAt(i - 1)) && isHigh(text.charCodeAt(i - 2)) ? i - 2 : i - 1;
}

/** Offset after the character at `i`. */
function after(text: string, i: number): number {
  return isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? i + 2 : i + 1;
}

/** The part of `[start, end)` shown around `caret` within `budget` columns: half before it at most, then after it, then before again. */
function window(text: string, start: number, end: number, caret: number, budget: number): { from: number; to: number } {
  let from = caret;
  let to = caret;
  let used = 0;
  const grow = (left: boolean, limit: number): void => {
    while (left ? from > start : to < end) {
      const at = left ? before(text, from) : to;
      const w = widthAt(text, at);
      if (used + w > limit) return;
      used += w;
      if (left) from = at;
      else to = after(text, at);
    }
  };
  grow(true, budget >> 1);
  grow(false, budget);
  grow(true, budget);
  return { from, to };
}

/** The source line with a caret line under it, unsafe characters escaped, clipped to MAX_COLUMNS around the column. */
function codeFrame(index: LineIndex, line: number, column: number, length: number): string[] {
  if (line > index.lineCount) return [];
  const text = index.text;
  const start = index.lineStart(line);
  const end = index.lineEnd(line);
  const caret = Math.min(start + Math.max(0, column - 1), end);
  let { from, to } = window(text, start, end, caret, MAX_COLUMNS);
  const clipped = from > start || to < end;
  // A clipped side shows an ellipsis, inside the same budget.
  if (clipped) ({ from, to } = window(text, start, end, caret, MAX_COLUMNS - 2));
  const spanEnd = Math.min(to, caret + Math.max(1, length));
  // Safe runs are copied whole; only unsafe characters and tabs are looked at one by one.
  let shown = "";
  let runStart = from;
  let pad = "";
  let spaces = 0;
  let carets = 0;
  for (let i = from; i < to; i = after(text, i)) {
    const c = text.charCodeAt(i);
    let width = 1;
    if (isUnsafeChar(c)) {
      const escaped = escapeChar(c);
      shown += text.slice(runStart, i) + escaped;
      runStart = i + 1;
      width = escaped.length;
    }
    if (i >= caret) {
      if (i < spanEnd) carets += width;
    } else if (c === 9) {
      // Tabs stay tabs under the line, so the caret keeps its place whatever the tab width.
      pad += " ".repeat(spaces) + "\t";
      spaces = 0;
    } else spaces += width;
  }
  shown += text.slice(runStart, to);
  pad += " ".repeat(spaces);
  const left = from > start ? ELLIPSIS : "";
  const right = to < end ? ELLIPSIS : "";
  const gutter = String(line);
  return [`  ${gutter} | ${left}${shown}${right}`, `  ${" ".repeat(gutter.length)} | ${left ? " " : ""}${pad}${"^".repeat(Math.max(1, carets))}`];
}
