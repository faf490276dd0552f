// Reviews of configs held in memory: two versions of one environment `e`, compared by the engine.
import { compile, type CompileResult } from "../../src/compile.js";
import { memorySource } from "../../src/load/file-source.js";
import { changeObject } from "../../src/review/json.js";
import type { Change, Review } from "../../src/review/model.js";
import { reviewConfigs } from "../../src/review/review.js";
import { pyDumps } from "../../src/serialize/pyjson.js";
import { errorLines } from "../helpers.js";

/** Compiles a config from memory (`/p/sequrity.config.yaml` plus `files` under /p). */
async function compileMemory(yaml: string, files: Record<string, string> = {}): Promise<CompileResult> {
  const all: Record<string, string> = { "/p/sequrity.config.yaml": yaml };
  for (const [name, text] of Object.entries(files)) all[`/p/${name}`] = text;
  const result = await compile({ cwd: "/p", configPath: "sequrity.config.yaml", source: memorySource(all, { root: "/p" }), lint: false });
  if (!result.compiled) throw new Error(`does not compile:\n${errorLines(result).join("\n")}`);
  return result;
}

/** A config whose only environment `e` is `block` (flow YAML). */
const oneEnv = (block: string) => `version: 1\nenvironments:\n  e: ${block}\n`;

export async function reviewOf(
  before: string,
  after: string,
  files: { before?: Record<string, string>; after?: Record<string, string> } = {},
): Promise<Review> {
  return reviewConfigs({
    base: { kind: "against", label: "old.yaml" },
    before: await compileMemory(before, files.before),
    after: await compileMemory(after, files.after),
  });
}

/** `PATH: CLASS` for a field, `TOOL CHANGE: CLASS` for a rule, `let NAME: CLASS` for a let. */
function line(c: Change): string {
  if (c.kind === "field") return `${c.path}: ${c.class}`;
  if (c.kind === "rule") return c.change === "let" ? `let ${c.name}: ${c.class}` : `${c.tool} ${c.change}: ${c.class}`;
  return `test ${c.case}: ${c.class}`;
}

/** The changes of environment `e` between two blocks, one line each. */
export async function classes(before: string, after: string): Promise<string[]> {
  const r = await reviewOf(oneEnv(before), oneEnv(after));
  return (r.environments[0]?.changes ?? []).map(line);
}

/** Policy code `before` → `after` in environment `e`: its changes, one line each. */
export async function ruleClasses(before: string, after: string): Promise<string[]> {
  const block = (code: string) => `{policy: {codes: {code: ${JSON.stringify(code)}}}}`;
  return classes(block(before), block(after));
}

/** A change exactly as `--format json` prints it. */
export function asJson(c: Change): unknown {
  return JSON.parse(pyDumps(changeObject(c)));
}
