/**
 * `--format github`: one workflow command per change, `::warning file=F,line=L,title=T::message`
 * (weakening and review; tightening and neutral are `::notice`), located in the after side: a
 * removed item at the nearest enclosing node that still exists there. Written, and escaped, by
 * `workflowCommand` like every annotation.
 */
import { workflowCommand } from "../diagnostics/index.js";
import { sentence } from "./describe.js";
import { severity, type Change, type ChangeLocation, type Review } from "./model.js";

function command(level: "warning" | "notice", at: ChangeLocation | undefined, title: string, message: string): string {
  return workflowCommand(level, at && { file: at.file, line: at.line }, title, [message]);
}

/** Where to annotate a change: its own location unless that is in the before side. */
function annotationAt(c: Change): ChangeLocation | undefined {
  return c.location?.side === "before" ? c.annotateAt : c.location;
}

export function reviewGithub(r: Review): string {
  const lines: string[] = [];
  for (const e of r.environments) {
    if (e.status === "added" || e.status === "removed") {
      lines.push(command("notice", e.status === "added" ? e.location : undefined, `environment ${e.status}: ${e.name}`, `environment ${e.name} ${e.status}`));
    }
    for (const c of e.changes) {
      const level = severity(c.class) > 0 ? "warning" : "notice";
      lines.push(command(level, annotationAt(c), `${c.class}: ${e.name}`, sentence(c)));
    }
  }
  return lines.length > 0 ? lines.join("\n") + "\n" : "";
}
