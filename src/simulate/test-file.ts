/**
 * Policy-test files: read (one reader for every test file), parsed with positions by the config's
 * YAML loader, checked against the `TestFile` schema, then for what a schema cannot say: case
 * names unique in the file, environments the config defines, `from` naming an earlier result,
 * and sets that put `"*"` first. Every problem is reported at once, at the value that has it.
 */
import type * as z from "zod";
import { error, type Diagnostic, type SourceLocation } from "../diagnostics/index.js";
import { toPlain, type LMap, type LNode } from "../load/lnode.js";
import { workingTree } from "../load/file-source.js";
import { readProjectFile, refusalDiagnostic } from "../load/project-files.js";
import { Source, locate } from "../load/source.js";
import { parseYaml } from "../load/yaml.js";
import { kindOf } from "../schema/introspect.js";
import { TestFile } from "../schema/test-file.js";
import { fieldPath, nodeAt } from "../validate/locate.js";
import { closest, showValue } from "../validate/messages.js";

export interface LoadedTestFile {
  /** As shown in messages and reports. */
  file: string;
  data: TestFile;
  /** Per case, where each step was written. */
  stepLocations: SourceLocation[][];
}

export type TestFileLoad = { ok: true; loaded: LoadedTestFile; text: string } | { ok: false; diagnostics: Diagnostic[]; text?: string };

/** Reads, parses and validates one test file; `environments` are every environment the config defines. */
export async function loadTestFile(absolute: string, shown: string, environments: readonly string[], projectRoot?: string): Promise<TestFileLoad> {
  // Read like a policy file: a regular file under its cap, inside the project root.
  const read = await readProjectFile(workingTree, absolute, { kind: "test", ...(projectRoot !== undefined ? { root: projectRoot } : {}) });
  if (!read.ok) return { ok: false, diagnostics: [refusalDiagnostic(read.refusal, shown)] };
  const source = new Source(shown, read.text);
  const parsed = parseYaml(source);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics, text: read.text };
  const root = parsed.root;
  if (root?.kind !== "map") {
    const at = root ? locate(root.span) : { file: shown, line: 1, column: 1 };
    return { ok: false, diagnostics: [error("not-a-mapping", "a test file is a mapping with `version: 1` and `cases`", at)], text: read.text };
  }
  const checked = validateTestFile(root, environments);
  if (!checked.data) return { ok: false, diagnostics: checked.diagnostics, text: read.text };
  const stepLocations = items(entry(root, "cases")).map((c) => items(entry(c, "steps")).map((step) => locate(step.span)));
  return { ok: true, loaded: { file: shown, data: checked.data, stepLocations }, text: read.text };
}

type Path = (string | number)[];
type Issue = z.core.$ZodIssue;

/** Which option of a union a node means, from its shape: the errors shown are that option's. */
function unionOption(path: Path, node: LNode | undefined): number | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === "from") return node?.kind === "seq" ? 1 : 0;
  if (parent === "steps") {
    if (node?.kind === "scalar") return 0;
    if (node?.kind === "map") return node.entries.has("call") ? 1 : node.entries.has("branch") ? 2 : undefined;
    return undefined;
  }
  if (parent === "args" || last === "branch") return node?.kind === "map" ? 1 : 0;
  return undefined;
}

/** The schema at `path` (unions resolved as `unionOption` does), for the keys an object allows. */
function schemaAt(root: LNode, path: Path): z.ZodType | undefined {
  let schema: z.ZodType = TestFile;
  for (let i = 0; i <= path.length; i++) {
    let k = kindOf(schema);
    if (k.kind === "union") {
      const option = unionOption(path.slice(0, i), nodeAt(root, path.slice(0, i).map(String))?.node);
      const chosen = option === undefined ? undefined : k.options[option];
      if (!chosen) return undefined;
      schema = chosen;
      k = kindOf(schema);
    }
    if (i === path.length) return schema;
    const key = path[i] as string | number;
    if (k.kind === "object") {
      const f = k.fields.find((x) => x.name === key);
      if (!f) return undefined;
      schema = f.schema;
    } else if (k.kind === "array") schema = k.item;
    else if (k.kind === "record") schema = k.value;
    else return undefined;
  }
  return schema;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "a boolean (true or false)",
  null: "null",
  array: "a list",
  object: "a mapping",
};

function issueDiagnostics(root: LNode, issue: Issue, prefix: Path, out: Diagnostic[]): void {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  const keys = path.map(String);
  const found = nodeAt(root, keys);
  const node = found?.node;
  const field = fieldPath(keys);
  const where = field ? `${field}: ` : "";
  if (issue.code === "invalid_union") {
    const option = unionOption(path, node);
    const errors = option === undefined ? undefined : issue.errors[option];
    if (errors) {
      for (const e of errors) issueDiagnostics(root, e, path, out);
      return;
    }
    const what = path[path.length - 2] === "steps" ? "a step is a `call: TOOL` or `branch: VALUE` mapping, or the word turn or attempt" : "invalid value";
    out.push(error("invalid-value", `${where}${what}`, locate((node ?? root).span)));
    return;
  }
  if (issue.code === "unrecognized_keys") {
    const allowed = (() => {
      const k = kindOf(schemaAt(root, path) ?? TestFile);
      return k.kind === "object" ? k.fields.map((f) => f.name) : [];
    })();
    for (const key of issue.keys) {
      const span = node?.kind === "map" ? (node.entries.get(key)?.keySpan ?? node.span) : root.span;
      const hint = closest(key, allowed);
      const known = allowed.length > 0 ? `; known keys: ${allowed.join(", ")}` : "";
      out.push(
        error(
          "unknown-key",
          `unknown key ${JSON.stringify(key)}${field ? ` in ${field}` : ""}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : known}`,
          locate(span),
        ),
      );
    }
    return;
  }
  if (!node) {
    // A required key that is absent: reported at the mapping that lacks it.
    const parent = nodeAt(root, keys.slice(0, -1))?.node ?? root;
    const parentField = fieldPath(keys.slice(0, -1));
    out.push(
      error("missing-key", `${parentField ? `${parentField}: ` : ""}missing required key ${JSON.stringify(keys[keys.length - 1])}`, locate(parent.span)),
    );
    return;
  }
  const at = locate(node.span);
  switch (issue.code) {
    case "invalid_type":
      return void out.push(error("invalid-value", `${where}expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${showValue(node)}`, at));
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v));
      const hint = node.kind === "scalar" && typeof node.value === "string" ? closest(node.value, issue.values.map(String)) : undefined;
      const message =
        values.length === 1
          ? `expected ${values[0]}, got ${showValue(node)}`
          : `${showValue(node)} is not allowed; expected one of ${values.join(", ")}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`;
      return void out.push(error("invalid-value", where + message, at));
    }
    case "too_small":
      return void out.push(error("invalid-value", `${where}must not be empty`, at));
    case "invalid_format":
      return void out.push(
        error("invalid-value", `${where}${showValue(node)} is not an environment name (letters, digits, _ and -, starting with a letter or _)`, at),
      );
    default:
      return void out.push(error("invalid-value", `${where}${issue.message}`, at));
  }
}

/** Checks a parsed test file; `data` is set when it has no error. */
export function validateTestFile(root: LMap, environments: readonly string[]): { data?: TestFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsed = TestFile.safeParse(toPlain(root));
  if (!parsed.success) for (const issue of parsed.error.issues) issueDiagnostics(root, issue, [], diagnostics);
  semanticChecks(root, environments, diagnostics);
  diagnostics.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
  return parsed.success && diagnostics.length === 0 ? { data: parsed.data, diagnostics } : { diagnostics };
}

const entry = (n: LNode | undefined, key: string): LNode | undefined => (n?.kind === "map" ? n.entries.get(key)?.value : undefined);
const items = (n: LNode | undefined): LNode[] => (n?.kind === "seq" ? n.items : []);
const text = (n: LNode | undefined): string | undefined => (n?.kind === "scalar" && typeof n.value === "string" ? n.value : undefined);

function semanticChecks(root: LMap, environments: readonly string[], out: Diagnostic[]): void {
  checkEnvironments(entry(root, "environments"), environments, out);
  const names = new Map<string, number>();
  for (const c of items(entry(root, "cases"))) {
    const nameNode = entry(c, "name");
    const name = text(nameNode);
    if (name !== undefined && nameNode) {
      const first = names.get(name);
      if (first !== undefined)
        out.push(error("duplicate-case", `case name ${JSON.stringify(name)} is already used by the case at line ${first}`, locate(nameNode.span)));
      else names.set(name, locate(nameNode.span).line);
    }
    checkEnvironments(entry(c, "environments"), environments, out);
    checkMeta(entry(c, "session"), out);
    const results: string[] = [];
    for (const step of items(entry(c, "steps"))) {
      if (step.kind !== "map") continue;
      const args = entry(step, "args");
      const argNodes = args?.kind === "map" ? [...args.entries.values()].map((e) => e.value) : [];
      const branch = entry(step, "branch");
      for (const arg of branch ? [branch, ...argNodes] : argNodes) {
        checkMeta(arg, out);
        const from = entry(arg, "from");
        for (const ref of from?.kind === "seq" ? from.items : from ? [from] : []) {
          const n = text(ref);
          if (n === undefined || results.includes(n)) continue;
          const hint = closest(n, results);
          const known = results.length > 0 ? `; earlier results: ${results.join(", ")}` : "; name one with `result: {as: NAME}` in an earlier step";
          out.push(
            error(
              "unknown-result",
              `from: no earlier step names its result ${JSON.stringify(n)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : known}`,
              locate(ref.span),
            ),
          );
        }
      }
      const result = entry(step, "result");
      checkMeta(entry(result, "meta"), out);
      checkMeta(entry(step, "expect_result"), out);
      checkMeta(entry(step, "expect_session"), out);
      const as = text(entry(result, "as"));
      if (as !== undefined && !results.includes(as)) results.push(as);
    }
  }
}

function checkEnvironments(list: LNode | undefined, environments: readonly string[], out: Diagnostic[]): void {
  for (const item of items(list)) {
    const name = text(item);
    if (name === undefined || environments.includes(name)) continue;
    const hint = closest(name, environments);
    out.push(
      error(
        "unknown-environment",
        `environment ${JSON.stringify(name)} is not in the config${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : `; it defines: ${environments.join(", ")}`}`,
        locate(item.span),
      ),
    );
  }
}

/** A set list: `"*"` only first, and after it only `"!x"` exceptions. */
function checkMeta(meta: LNode | undefined, out: Diagnostic[]): void {
  for (const field of ["producers", "consumers", "tags"]) {
    const list = items(entry(meta, field));
    const universal = text(list[0]) === "*";
    list.forEach((item, i) => {
      const s = text(item);
      if (s === undefined) return;
      if (s === "*" && i > 0)
        out.push(error("bad-set", `"*" (the universal set) must come first: write ["*", "!a", ...] for everything except a`, locate(item.span)));
      else if (universal && i > 0 && (!s.startsWith("!") || s.length === 1 || s === "!*"))
        out.push(error("bad-set", `after "*", each item is an exception written "!NAME"; got ${JSON.stringify(s)}`, locate(item.span)));
    });
  }
}
