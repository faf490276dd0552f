/**
 * Validation with ajv against the exported JSON Schemas: the config file as written (every layer,
 * directives included) and each environment's merged sections. ajv's raw errors are reduced to
 * one clear message per problem, located at the node that holds the bad value.
 */
import type { ErrorCode } from "../errors.js";
import type { ErrorObject } from "ajv";
import { error, type Diagnostic } from "../diagnostics/index.js";
import { directiveKey, toPlain, type LEntry, type LNode } from "../load/lnode.js";
import { locate } from "../load/source.js";
import { DIRECTIVES } from "../schema/directives.js";
import { MAP_KEY } from "../schema/headers.js";
import { fieldPath, nodeAt, pointerKey, pointerKeys } from "./locate.js";
import { closest, describeError } from "./messages.js";
import { getValidators, type SchemaName } from "./validators.js";

// Union branches are [plain value, null, directives...]; an error raised directly by branch K>0
// only says "this is not null / not that directive", which is noise when the user wrote a value.
const BRANCH = /\/anyOf\/(\d+)\/[^/]+$/;

export interface ValidateOptions {
  /** The environment whose merged section is validated, named in messages. */
  environment?: string;
}

export function validateNode(schema: SchemaName, root: LNode, options: ValidateOptions = {}): Diagnostic[] {
  const validators = getValidators();
  const validate = validators[schema];
  if (validate(toPlain(root))) return [];
  return reduceErrors(validate.errors ?? [], root, options);
}

const notForThisField = (field: string, directive: string) => `${field}: the directive ${directive} does not apply to this field`;

/**
 * Directive mappings a union cannot take: one whose directive no branch of that union accepts
 * (`logit_bias: {$append: [...]}`), or several directives in one mapping. The errors under them are
 * the plain branch reading a directive as data, noise; one message at the mapping says what is wrong.
 */
function misplacedDirectives(errors: readonly ErrorObject[], root: LNode, envs: Partial<Diagnostic>): Map<string, Diagnostic> {
  const out = new Map<string, Diagnostic>();
  for (const u of errors) {
    if (u.keyword !== "anyOf" || out.has(u.instancePath)) continue;
    const keys = pointerKeys(u.instancePath);
    const node = nodeAt(root, keys)?.node;
    if (node?.kind !== "map" || node.entries.size === 0) continue;
    const names = [...node.entries.keys()];
    if (!names.every((k) => (DIRECTIVES as readonly string[]).includes(k))) continue;
    const field = fieldPath(keys);
    const at = locate(([...node.entries.values()][0] as LEntry).keySpan);
    const meta = { ...envs, path: u.instancePath };
    if (names.length > 1) {
      out.set(
        u.instancePath,
        error(
          "bad-directive",
          `${field}: a mapping holds one directive, but this one has ${names.join(" and ")}; keep one ($replace writes the whole value)`,
          at,
          meta,
        ),
      );
      continue;
    }
    // With verbose errors ajv gives the union's branches; a directive is accepted where a branch requires it.
    const branches = Array.isArray(u.schema) ? (u.schema as { required?: unknown }[]) : [];
    const accepted = branches.some((b) => Array.isArray(b?.required) && b.required.includes(names[0]));
    if (!accepted) out.set(u.instancePath, error("bad-directive", notForThisField(field, names[0] as string), at, meta));
  }
  return out;
}

function reduceErrors(errors: readonly ErrorObject[], root: LNode, options: ValidateOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const failedUnions: string[] = [];
  const kept: string[] = [];
  const envs = options.environment ? { environments: [options.environment] } : {};
  const enumAt = new Set(errors.filter((e) => e.keyword === "enum").map((e) => e.instancePath));
  const unionAt = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  // A union whose value some branch took apart (errors below it): that branch is the one meant, so
  // the other branches' "expected a string" at the value itself is noise (`extends: [prod, 3]`).
  const enteredAt = new Set([...unionAt].filter((p) => errors.some((e) => e.instancePath.startsWith(`${p}/`))));
  const misplaced = misplacedDirectives(errors, root, envs);
  const misplacedAt = [...misplaced.keys()];
  const inMisplaced = (at: string) => misplacedAt.some((p) => at === p || at.startsWith(`${p}/`));
  out.push(...misplaced.values());
  kept.push(...misplaced.keys()); // the unions around them need no message of their own
  for (const err of errors) {
    if (misplaced.size > 0 && inMisplaced(err.instancePath)) continue;
    if (err.keyword === "type" && enumAt.has(err.instancePath)) continue;
    if (err.keyword === "type" && enteredAt.has(err.instancePath) && err.schemaPath.includes("/anyOf/")) continue;
    // `propertyNames` repeats the key's own error (kept below, at the key).
    if (err.keyword === "propertyNames") continue;
    if (err.keyword === "anyOf") {
      failedUnions.push(err.instancePath);
      continue;
    }
    const branch = BRANCH.exec(err.schemaPath);
    if (branch && branch[1] !== "0") continue;
    const keys = pointerKeys(err.instancePath);
    const found = nodeAt(root, keys);
    // Where a value may be a directive (a union), a directive's own mapping fails the plain branch
    // by construction; its errors are below it. Elsewhere (`environments: {$x: {}}`) it is data.
    if (directiveKey(found?.node) !== undefined && unionAt.has(err.instancePath)) continue;
    kept.push(err.instancePath);
    out.push(...toDiagnostic(err, keys, found, seen, envs));
  }
  // Deepest first, so that a synthesized message silences the unions that contain it.
  failedUnions.sort((a, b) => b.split("/").length - a.split("/").length);
  for (const p of failedUnions) {
    if (kept.some((k) => k === p || k.startsWith(p + "/"))) continue;
    kept.push(p);
    const keys = pointerKeys(p);
    const found = nodeAt(root, keys);
    const key = directiveKey(found?.node);
    const field = fieldPath(keys);
    const span = found?.node.kind === "map" ? [...found.node.entries.values()][0]?.keySpan : found?.node.span;
    if (!span) continue;
    let message: string;
    if (key !== undefined && !(DIRECTIVES as readonly string[]).includes(key)) {
      const hint = closest(key, DIRECTIVES);
      message = `unknown directive ${key}${hint ? ` (did you mean ${hint}?)` : `; directives are ${DIRECTIVES.join(", ")}`}`;
    } else if (key !== undefined) {
      message = notForThisField(field, key);
    } else message = `${field}: invalid value`;
    const id = `${p}|${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(error(key !== undefined ? "bad-directive" : "invalid-value", message, locate(span), { ...envs, path: p }));
  }
  return out.sort(byPosition);
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  const x = a.location;
  const y = b.location;
  if (!x || !y) return 0;
  return x.file === y.file ? x.line - y.line || x.column - y.column : x.file < y.file ? -1 : 1;
}

function toDiagnostic(err: ErrorObject, keys: string[], found: ReturnType<typeof nodeAt>, seen: Set<string>, envs: Partial<Diagnostic>): Diagnostic[] {
  const field = fieldPath(keys);
  const node = found?.node;
  let span = node?.span ?? found?.entry?.keySpan;
  let code: ErrorCode = err.keyword === "additionalProperties" ? "unknown-key" : err.keyword === "required" ? "missing-key" : "invalid-value";
  let allowed: string[] | undefined;
  if (err.keyword === "additionalProperties" && node?.kind === "map") {
    const key = String((err.params as { additionalProperty: string }).additionalProperty);
    span = node.entries.get(key)?.keySpan ?? span;
    const parent = err.parentSchema as { properties?: object; patternProperties?: object } | undefined;
    // A pattern such as `^x-` is shown as `x-*`.
    const patterns = Object.keys(parent?.patternProperties ?? {}).map((p) => `${p.replace(/^\^/, "")}*`);
    allowed = [...Object.keys(parent?.properties ?? {}), ...patterns];
  }
  if (err.keyword === "required") code = "missing-key";
  let message: string | undefined;
  if (err.propertyName !== undefined && node?.kind === "map") {
    // A key that fails its pattern: point at the key itself.
    const name = err.propertyName;
    span = node.entries.get(name)?.keySpan ?? span;
    if ((err.params as { pattern?: string }).pattern === MAP_KEY.source) {
      code = "reserved-key";
      message = `${field ? `${field}: ` : ""}the key ${JSON.stringify(name)} is reserved: keys starting with $ are the tool's own and never reach a header`;
    } else message = `${field ? `${field}: ` : ""}the name ${JSON.stringify(name)} is not allowed; use letters, digits, _ and - (starting with a letter or _)`;
  }
  if (!span) return [];
  message ??= describeError(err, field, node, allowed);
  const id = `${err.instancePath}|${message}`;
  if (seen.has(id)) return [];
  seen.add(id);
  // A bad key is about that key's entry: its path names it, so a bad environment name belongs to
  // that environment's block (the others still compile and report their own problems).
  const at = err.propertyName !== undefined ? `${err.instancePath}/${pointerKey(err.propertyName)}` : err.instancePath;
  return [error(code, message, locate(span), { ...envs, path: at })];
}
