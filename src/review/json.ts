/**
 * `--format json` (security-review.md, "JSON"). Each change is one line of compact JSON written
 * by the header serializer, so wire values print exactly as sent (`1.0` stays a float, big ints
 * stay exact) and environments keep their order even when named like numbers.
 */
import { pyDumps } from "../serialize/pyjson.js";
import type { PyMap, PyValue } from "../serialize/pyvalue.js";
import type { Change, ChangeLocation, EnvironmentReview, Review } from "./model.js";

const dump = (v: PyValue) => pyDumps(v, { ascii: false });

function location(l: ChangeLocation): PyMap {
  const m: PyMap = new Map();
  if (l.side) m.set("side", l.side);
  m.set("file", l.file).set("line", l.line).set("column", l.column);
  return m;
}

/** A change as its JSON object, keys in the spec's order. */
export function changeObject(c: Change): PyMap {
  const m: PyMap = new Map([["kind", c.kind]]);
  if (c.kind === "field") m.set("path", c.path);
  else if (c.kind === "rule") {
    m.set("path", c.path);
    if (c.tool !== undefined) m.set("tool", c.tool);
    if (c.name !== undefined) m.set("name", c.name);
    m.set("change", c.change);
  } else m.set("case", c.case).set("file", c.file);
  m.set("class", c.class);
  m.set("before", c.before ?? null).set("after", c.after ?? null);
  if (c.kind === "rule" && c.uses) m.set("uses", c.uses);
  if (c.location) m.set("location", location(c.location));
  return m;
}

function environment(e: EnvironmentReview): string {
  const lines = [`      "status": ${dump(e.status)},`];
  if (e.location) lines.push(`      "location": ${dump(location(e.location))},`);
  if (e.changes.length === 0) lines.push(`      "changes": []`);
  else lines.push(`      "changes": [`, e.changes.map((c) => `        ${dump(changeObject(c))}`).join(",\n"), "      ]");
  return `{\n${lines.join("\n")}\n    }`;
}

export function reviewJson(r: Review): string {
  const envs = r.environments.map((e) => `    ${dump(e.name)}: ${environment(e)}`);
  const summary: PyMap = new Map(Object.entries(r.summary));
  return (
    [
      "{",
      `  ${dump(r.base.kind)}: ${dump(r.base.label)},`,
      envs.length > 0 ? `  "environments": {\n${envs.join(",\n")}\n  },` : `  "environments": {},`,
      `  "summary": ${dump(summary)}`,
      "}",
    ].join("\n") + "\n"
  );
}
