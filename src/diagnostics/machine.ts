/** Diagnostics for machines: the JSON shape of product.md and GitHub workflow-command annotations. */
import { environmentsSuffix, type Diagnostic } from "./diagnostic.js";

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

/** `::error file=F,line=L,col=C,title=CODE::message`, one line per diagnostic. */
export function githubAnnotation(d: Diagnostic): string {
  const props: string[] = [];
  const l = d.location;
  if (l) {
    props.push(`file=${escapeProperty(l.file)}`);
    if (l.line > 0) props.push(`line=${l.line}`, `col=${l.column}`);
  }
  props.push(`title=${escapeProperty(d.code)}`);
  const notes = (d.notes ?? []).map((n) => `\nnote: ${n}`).join("");
  return `::${d.severity} ${props.join(",")}::${escapeData(d.message + environmentsSuffix(d) + notes)}`;
}
