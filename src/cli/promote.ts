/**
 * `promote FROM TO [--write]`: make TO send exactly FROM's X-Policy by setting TO's own `policy`
 * to `$replace: <FROM's merged policy>`. The edit goes through the YAML document, so comments
 * and the rest of the file stay; it is verified by compiling the edited file before anything is
 * written, and written atomically.
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseDocument, type Document } from "yaml";
import { compile } from "../compile.js";
import type { LNode } from "../load/lnode.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, report } from "./report.js";
import { fieldChanges } from "./diff.js";

export async function runPromote(io: Io, from: string, to: string, o: { config?: string; write?: boolean }): Promise<number> {
  const result = await compile({ cwd: io.cwd, ...(o.config !== undefined ? { configPath: o.config } : {}) });
  if (report(io, result.diagnostics, { sources: result.sources, writes: Boolean(o.write) }) || !result.compiled) return failureStatus(result.diagnostics);
  const envs = result.compiled.environments;
  for (const name of [from, to]) {
    if (!envs.some((e) => e.name === name)) {
      io.stderr(`error: unknown environment "${name}"; ${result.compiled.configPath} defines: ${envs.map((e) => e.name).join(", ")}\n`);
      return EXIT.usage;
    }
  }
  const header = (name: string) => envs.find((e) => e.name === name)?.headers["X-Policy"];
  if (header(from) === header(to)) {
    io.stderr(`${to} already sends the same X-Policy as ${from}; nothing to promote\n`);
    return EXIT.ok;
  }

  const configFile = path.resolve(io.cwd, result.compiled.configPath);
  const text = result.sources.get(result.compiled.configPath);
  if (text === undefined || !/\.(ya?ml)$/i.test(configFile) || path.basename(configFile) === "package.json") {
    io.stderr("error: promote edits YAML config files only\n");
    return EXIT.invalid;
  }
  const doc = parseDocument(text, { intAsBigInt: true });
  setPolicy(doc, to, result.merged.get(from)?.policy, result.overrides.get(from)?.policy);
  const edited = doc.toString({ lineWidth: 0 });

  // Compile the edited file beside the original (policy paths are relative to it) before writing.
  const probe = path.join(path.dirname(configFile), `.${path.basename(configFile)}.promote-${process.pid}.yaml`);
  let verified = false;
  let alsoChanged: string[] = [];
  try {
    await writeFile(probe, edited);
    const check = await compile({ cwd: io.cwd, configPath: probe });
    const after = (name: string) => check.compiled?.environments.find((e) => e.name === name)?.headers["X-Policy"];
    verified = after(to) === header(from);
    // Environments that extend TO inherit the promoted policy too: say so.
    alsoChanged = envs.filter((e) => e.name !== to && after(e.name) !== e.headers["X-Policy"]).map((e) => e.name);
    if (!check.compiled) report(io, check.diagnostics.filter((d) => d.severity === "error"), { sources: check.sources });
  } finally {
    await rm(probe, { force: true });
  }
  if (!verified) {
    io.stderr(`error: could not express ${from}'s policy in ${to}'s block exactly; nothing written\n`);
    return EXIT.invalid;
  }

  const policyOf = (env: string) => {
    const policy = result.pySections.get(env)?.policy;
    return policy ? { policy } : {};
  };
  const lines = [`X-Policy of ${to} ${o.write ? "now matches" : "would match"} ${from}:`];
  for (const c of fieldChanges(policyOf(to), policyOf(from))) {
    lines.push(`  ${c.field}:`);
    if (c.before !== undefined) lines.push(`    - ${c.before}`);
    if (c.after !== undefined) lines.push(`    + ${c.after}`);
  }
  if (alsoChanged.length > 0) lines.push(`X-Policy also ${o.write ? "changed" : "changes"} for ${alsoChanged.join(", ")} (they extend ${to})`);
  const { configVerdictChanges, formatVerdictChanges } = await import("../simulate/compare.js");
  const tests = await configVerdictChanges(result, io.cwd, { a: to, b: to, policyOf: from, casesOf: to });
  report(io, tests.diagnostics, { sources: tests.sources, writes: false });
  lines.push(...formatVerdictChanges(tests.changes, `test verdicts in ${to} that ${o.write ? "changed" : "would change"}:`, "before", "after"));
  io.stdout(lines.join("\n") + "\n");
  if (!o.write) {
    io.stderr(`dry run: pass --write to edit ${result.compiled.configPath}\n`);
    return EXIT.ok;
  }
  const { writeOutputs } = await import("../emit/index.js");
  await writeOutputs([{ path: configFile, content: edited }], { cwd: io.cwd });
  io.stderr(`updated environments.${to}.policy in ${result.compiled.configPath}\n`);
  return EXIT.ok;
}

function setPolicy(doc: Document, env: string, policy: LNode | undefined, overrides: LNode | undefined): void {
  const replacement = policy ? (toJs(policy) as Map<string, unknown>) : undefined;
  if (replacement && overrides) replacement.set("$overrides", toJs(overrides));
  const value = replacement ? doc.createNode({ $replace: replacement }) : null;
  const block = doc.getIn(["environments", env]);
  if (block === null || block === undefined || (typeof block === "object" && !("setIn" in block))) {
    doc.setIn(["environments", env], doc.createNode(new Map([["policy", value]])));
  } else {
    doc.setIn(["environments", env, "policy"], value);
  }
}

/** Plain values with Maps, so that key order survives into the YAML. */
function toJs(n: LNode): unknown {
  if (n.kind === "scalar") return n.value;
  if (n.kind === "seq") return n.items.map(toJs);
  return new Map([...n.entries].map(([k, e]) => [k, toJs(e.value)]));
}
