/** Diagnostics for machines: the JSON shape of product.md and GitHub workflow-command annotations. */
import { environmentsSuffix, type Diagnostic } from "./diagnostic.js";
import { escapeControls, hasUnsafeChars } from "./escape.js";

export type DiagnosticFormat = "text" | "json" | "github";

/** One diagnostic as `--format json` prints it; positions are null when the message has none. */
export interface DiagnosticJson {
  code: string;
  severity: Diagnostic["severity"];
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  environments: string[];
}

export function diagnosticJson(d: Diagnostic): DiagnosticJson {
  const l = d.location;
  const placed = l !== undefined && l.line > 0;
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: l?.file ?? null,
    line: placed ? l.line : null,
    column: placed ? l.column : null,
    environments: d.environments ?? [],
  };
}

// GitHub's workflow-command syntax: data escapes %, CR and LF; property values also ':' and ','.
export const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export interface AnnotationPlace {
  file: string;
  /** 0 or absent: the file only. */
  line?: number;
  column?: number;
}

/**
 * `::LEVEL file=F,line=L,col=C,title=T::message`, the one way annotations are written. The title and
 * the message lines are shown by GitHub as text, so control characters in them are escaped as in
 * the text format (`\x1b`). `file=` must stay the real path for GitHub to match it to the diff,
 * so a path holding control characters cannot be given faithfully: it is left out, and the place
 * is named, escaped, at the start of the message instead.
 */
export function workflowCommand(level: string, at: AnnotationPlace | undefined, title: string, lines: readonly string[]): string {
  const props: string[] = [];
  const placed = at !== undefined && (at.line ?? 0) > 0;
  let lead = "";
  if (at && hasUnsafeChars(at.file)) {
    lead = `${escapeControls(at.file)}${placed ? `:${at.line}${at.column !== undefined ? `:${at.column}` : ""}` : ""}: `;
  } else if (at) {
    props.push(`file=${escapeProperty(at.file)}`);
    if (placed) props.push(`line=${at.line}`, ...(at.column !== undefined ? [`col=${at.column}`] : []));
  }
  props.push(`title=${escapeProperty(escapeControls(title))}`);
  const message = lines.map(escapeControls).join("\n");
  return `::${level} ${props.join(",")}::${escapeData(lead + message)}`;
}

/** `::error file=F,line=L,col=C,title=CODE::message`, one line per diagnostic. */
export function githubAnnotation(d: Diagnostic): string {
  return workflowCommand(d.severity, d.location, d.code, [d.message + environmentsSuffix(d), ...(d.notes ?? []).map((n) => `note: ${n}`)]);
}
