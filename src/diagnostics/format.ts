import type { Diagnostic } from "./diagnostic.js";

/** Texts of the files diagnostics point into, so that a code frame can be shown. */
export type SourceTexts = ReadonlyMap<string, string>;

export interface FormatOptions {
  sources?: SourceTexts;
  /** Show the offending line with a caret under it (default true). */
  codeFrame?: boolean;
}

/** `FILE:LINE:COL: error: MESSAGE (environment prod)` then an optional code frame and notes. */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const where = d.location
    ? d.location.line > 0
      ? `${d.location.file}:${d.location.line}:${d.location.column}: `
      : `${d.location.file}: `
    : "";
  let head = `${where}${d.severity}: ${d.message}`;
  if (d.environments && d.environments.length > 0) {
    head += d.environments.length === 1 ? ` (environment ${d.environments[0]})` : ` (environments ${d.environments.join(", ")})`;
  }
  const lines = [head];
  const text = d.location && options.sources?.get(d.location.file);
  if (options.codeFrame !== false && d.location && d.location.line > 0 && text !== undefined) {
    lines.push(...codeFrame(text, d.location.line, d.location.column, d.location.length ?? 1));
  }
  for (const note of d.notes ?? []) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  return diagnostics.map((d) => formatDiagnostic(d, options)).join("\n");
}

function codeFrame(text: string, line: number, column: number, length: number): string[] {
  const all = text.split(/\r\n|\n|\r/);
  const source = all[line - 1];
  if (source === undefined) return [];
  const gutter = String(line);
  const pad = " ".repeat(gutter.length);
  // Tabs keep their width in the caret line so the caret stays under the right character.
  const before = source.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, " ");
  const span = Math.max(1, Math.min(length, source.length - (column - 1)));
  return [`  ${gutter} | ${source}`, `  ${pad} | ${before}${"^".repeat(span)}`];
}
