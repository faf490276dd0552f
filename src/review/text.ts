/** `--format text`: for a terminal, one line per change under its environment. */
import { baseWords, sentence, summaryWords, where } from "./describe.js";
import type { Review } from "./model.js";

export function reviewText(r: Review): string {
  const lines = [`security review: working tree against ${baseWords(r)}`];
  const width = Math.max(0, ...r.environments.flatMap((e) => e.changes.map((c) => c.class.length)));
  for (const e of r.environments) {
    const at = e.location ? `  (${where(e.location)})` : "";
    lines.push(`${e.name}: ${e.status}${at}`);
    for (const c of e.changes) {
      const loc = c.location ? `  (${where(c.location)})` : "";
      lines.push(`  ${c.class.padEnd(width)}  ${sentence(c)}${loc}`);
    }
  }
  lines.push(`summary: ${summaryWords(r)}`);
  return lines.join("\n") + "\n";
}
