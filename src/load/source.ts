import type { SourceLocation } from "../diagnostics/index.js";
import { LineIndex } from "../diagnostics/index.js";

/** A file the user wrote, kept whole so that any offset can become a line and column. */
export class Source {
  private index: LineIndex | undefined;
  constructor(
    readonly file: string,
    readonly text: string,
    /** False for JS/TS configs: values exist, positions do not. */
    readonly hasPositions = true,
  ) {}

  position(offset: number): { line: number; column: number } {
    this.index ??= new LineIndex(this.text);
    return this.index.position(offset);
  }
}

/** Where a value was written: a range of offsets in one source (`start < 0`: no position known). */
export interface Span {
  source: Source;
  start: number;
  end: number;
}

export function locate(span: Span): SourceLocation {
  if (span.start < 0 || !span.source.hasPositions) return { file: span.source.file, line: 0, column: 0 };
  const { line, column } = span.source.position(span.start);
  // The underline stops at the end of the first line of the span.
  const nl = span.source.text.slice(span.start, span.end).search(/[\r\n]/);
  const length = Math.max(1, nl < 0 ? span.end - span.start : nl);
  return { file: span.source.file, line, column, length };
}

export function wholeFile(source: Source): Span {
  return { source, start: source.hasPositions ? 0 : -1, end: source.hasPositions ? Math.min(source.text.length, 1) : -1 };
}
