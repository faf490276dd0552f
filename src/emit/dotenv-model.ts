// A model of how the `dotenv` package (v17, lib/main.js `parse`) reads a file, used to verify every
// .env file before it is written. dotenv has no escape sequences: a value is the raw text after `=`,
// minus one pair of matching outer quotes, with `\n`/`\r` expanded only when double-quoted. Quoted values
// may span lines, and a `\'` (or \" / \`) inside quotes does not close them, which is what makes some
// layouts ambiguous; the emitter re-reads its own output through this model rather than trusting a proof.

// One assignment: optional `export`, a key, `=` (or `: `), then a single/double/backtick-quoted value
// (may span lines) or an unquoted value up to `#` or end of line, then an optional comment.
const LINE = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/gm;

export function parseDotenvModel(src: string): Record<string, string> {
  const out: Record<string, string> = {};
  const text = src.replace(/\r\n?/g, "\n");
  LINE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LINE.exec(text)) !== null) {
    const key = m[1] as string;
    let value = (m[2] ?? "").trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
    if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    out[key] = value;
  }
  return out;
}
