/**
 * `promote FROM TO [--write]`: make TO send exactly FROM's X-Policy by setting TO's own `policy`
 * to `$replace: <FROM's merged policy>`. Only that value's bytes change in the file (see
 * promote-edit.ts). The edited text is compiled in memory first, and it is written only when
 * every header of every environment is unchanged but the X-Policy of TO (which must equal
 * FROM's) and of the environments that extend TO.
 */
import path from "node:path";
import { compile, compileDetails, type CompileResult } from "../compile.js";
import { effectiveSections } from "../inspect.js";
import { compileAndReport } from "./compile-and-report.js";
import type { PromoteCliOptions } from "./options.js";
import { DiagnosticError, noSuchEnvironment, type Diagnostic } from "../diagnostics/index.js";
import { escapeControls, escapeControlsInJson } from "../diagnostics/escape.js";
import { overlaySource, workingTree } from "../load/file-source.js";
import { readProjectFile } from "../load/project-files.js";
import { isPyMap, type PyValue } from "../serialize/pyvalue.js";
import { pyDumps } from "../serialize/pyjson.js";
import type { PySections } from "../compile.js";
import { SECTION_NAMES, type SectionName } from "../schema/sections.js";
import { HEADER_NAMES } from "../serialize/compiled.js";
import { EXIT, type Io } from "./io.js";
import { editPolicy } from "./promote-edit.js";
import { failureStatus, report } from "./report.js";
import type { LNode } from "../load/lnode.js";

export async function runPromote(io: Io, from: string, to: string, o: PromoteCliOptions): Promise<number> {
  const run = await compileAndReport(io, { config: o.config }, { writes: Boolean(o.write) });
  if (!run.ok) return run.status;
  const { result, compiled } = run;
  const envs = compiled.environments;
  const unknown = [from, to].filter((name) => !envs.some((e) => e.name === name));
  if (unknown.length > 0) {
    const missing = [
      noSuchEnvironment(
        unknown,
        envs.map((e) => e.name),
        compiled.configPath,
      ),
    ];
    report(io, missing, { writes: false });
    return failureStatus(missing);
  }
  const header = (name: string) => envs.find((e) => e.name === name)?.headers["X-Policy"];
  if (header(from) === header(to)) {
    io.stderr(`${to} already sends the same X-Policy as ${from}; nothing to promote\n`);
    return EXIT.ok;
  }
  // FROM built on TO would change with it, so TO could never send what FROM sends after the edit.
  if (envs.find((e) => e.name === from)?.layers?.includes(to)) {
    io.stderr(`error: ${from} extends ${to}, so ${to}'s policy is part of ${from}'s: promoting would change ${from} too; nothing written\n`);
    return EXIT.invalid;
  }

  const configFile = path.resolve(io.cwd, compiled.configPath);
  const text = result.sources.get(compiled.configPath);
  if (text === undefined || !/\.(ya?ml)$/i.test(configFile)) {
    io.stderr("error: promote edits YAML config files only\n");
    return EXIT.invalid;
  }
  // The edit writes FROM's merged policy as YAML: it needs the located trees, not only the values.
  const details = compileDetails(result);
  const policy = details.merged.get(from)?.policy;
  const overrides = details.overrides.get(from)?.policy;
  const edit = editPolicy(text, to, replacementOf(policy, overrides));
  if (!edit.ok) {
    io.stderr(`error: cannot promote into ${to}: ${edit.why}; nothing written\n`);
    return EXIT.invalid;
  }
  const check = await compile({ cwd: io.cwd, configPath: configFile, inspect: false, source: overlaySource(workingTree, new Map([[configFile, edit.text]])) });
  const problems = verify(result, check, from, to);
  if (problems.length > 0) {
    io.stderr(
      `error: the edit would not make ${to} send exactly ${from}'s X-Policy and nothing else; nothing written\n${problems.map((p) => `  ${p}\n`).join("")}`,
    );
    return EXIT.invalid;
  }
  const edited = new Map((check.compiled?.environments ?? []).map((e) => [e.name, e]));
  const alsoChanged = envs.filter((e) => e.name !== to && edited.get(e.name)?.headers["X-Policy"] !== e.headers["X-Policy"]).map((e) => e.name);

  const policyOf = (env: string) => {
    const policy = effectiveSections(result, env)?.policy;
    return policy ? { policy } : {};
  };
  const lines = [`X-Policy of ${to} ${o.write ? "now matches" : "would match"} ${from}:`];
  // Keys and values come from the config: control and bidi characters are shown escaped.
  for (const c of fieldChanges(policyOf(to), policyOf(from))) {
    lines.push(`  ${escapeControls(c.field)}:`);
    if (c.before !== undefined) lines.push(`    - ${escapeControlsInJson(c.before)}`);
    if (c.after !== undefined) lines.push(`    + ${escapeControlsInJson(c.after)}`);
  }
  if (alsoChanged.length > 0) lines.push(`X-Policy also ${o.write ? "changed" : "changes"} for ${alsoChanged.join(", ")} (they extend ${to})`);
  const { configVerdictChanges, formatVerdictChanges } = await import("../simulate/compare.js");
  const tests = await configVerdictChanges(result, io.cwd, { a: to, b: to, policyOf: from, onlyCasesOfA: true });
  report(io, tests.diagnostics, { sources: tests.sources, writes: false });
  lines.push(...formatVerdictChanges(tests.changes, `test verdicts in ${to} that ${o.write ? "changed" : "would change"}:`, "before", "after"));
  io.stdout(lines.join("\n") + "\n");
  if (!o.write) {
    io.stderr(`dry run: pass --write to edit ${compiled.configPath}\n`);
    return EXIT.ok;
  }
  // The loader drops a byte-order mark; the file keeps it. writeOutputs replaces it atomically, through
  // a symlink, with its mode (no guard: this is an in-place edit of an input, not a build output).
  const read = await readProjectFile(workingTree, configFile, { kind: "config" });
  const { writeOutputs } = await import("../emit/index.js");
  try {
    await writeOutputs([{ path: configFile, content: (read.ok && read.bom ? "\ufeff" : "") + edit.text }], { cwd: io.cwd });
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    report(io, e.diagnostics as Diagnostic[], { writes: true });
    return EXIT.invalid;
  }
  io.stderr(`updated environments.${to}.policy in ${compiled.configPath}\n`);
  return EXIT.ok;
}

/** TO's new `policy`: FROM's merged policy as a whole, with FROM's `$overrides` inside it. */
function replacementOf(policy: LNode | undefined, overrides: LNode | undefined): LNode {
  const span = (policy ?? overrides)?.span as LNode["span"];
  const entries = new Map(policy?.kind === "map" ? policy.entries : []);
  if (overrides) entries.set("$overrides", { key: "$overrides", keySpan: span, value: overrides });
  return { kind: "map", span, entries: new Map([["$replace", { key: "$replace", keySpan: span, value: { kind: "map", span, entries } }]]) };
}

/** Why the edited config is not exactly the promotion: one line per unexpected difference. */
function verify(before: CompileResult, after: CompileResult, from: string, to: string): string[] {
  if (!after.compiled) return after.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  const old = before.compiled?.environments ?? [];
  const now = new Map(after.compiled.environments.map((e) => [e.name, e]));
  const problems: string[] = [];
  const fromPolicy = old.find((e) => e.name === from)?.headers["X-Policy"];
  if (now.get(to)?.headers["X-Policy"] !== fromPolicy) problems.push(`X-Policy of ${to} would not equal ${from}'s`);
  for (const env of old) {
    const edited = now.get(env.name);
    if (!edited) {
      problems.push(`environment ${env.name} would disappear`);
      continue;
    }
    for (const h of HEADER_NAMES) {
      // Environments made from TO's block (TO and those that extend it) take the promoted policy.
      if (h === "X-Policy" && env.layers?.includes(to)) continue;
      if (edited.headers[h] !== env.headers[h]) problems.push(`${h} of ${env.name} would change`);
    }
  }
  return problems;
}

/** Leaf paths of a section: `policy.presets.default_allow` → its JSON text. Lists are compared whole. */
function flatten(value: PyValue, prefix: string, out = new Map<string, string>()): Map<string, string> {
  if (isPyMap(value) && value.size > 0) {
    for (const [k, v] of value) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix !== "") out.set(prefix, pyDumps(value, { ascii: false }));
  return out;
}

/** Every field whose value differs between two environments' sections, in section order, as printed by promote. */
function fieldChanges(before: PySections, after: PySections): { field: string; before?: string; after?: string }[] {
  const left = flatten(new Map(Object.entries(before) as [string, PyValue][]), "");
  const right = flatten(new Map(Object.entries(after) as [string, PyValue][]), "");
  // Fields in section order (features, policy, config), then in the order they first appear.
  const sectionRank = (k: string) => SECTION_NAMES.indexOf((k.split(".")[0] ?? "") as SectionName);
  const fields = [...new Set([...left.keys(), ...right.keys()])].sort((x, y) => sectionRank(x) - sectionRank(y));
  return fields.flatMap((field) => {
    const x = left.get(field);
    const y = right.get(field);
    return x === y ? [] : [{ field, ...(x !== undefined ? { before: x } : {}), ...(y !== undefined ? { after: y } : {}) }];
  });
}
