/** Human messages for ajv errors, naming the field and the value the user wrote. */
import type { ErrorObject } from "ajv";
import type { LNode } from "../load/lnode.js";
import { PATTERN_WORDS } from "../schema/patterns.js";

export function showValue(n: LNode | undefined): string {
  if (!n) return "nothing";
  if (n.kind === "map") return "a mapping";
  if (n.kind === "seq") return "a list";
  const v = n.value;
  if (v === null) return "null";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v)}`;
  if (typeof v === "boolean") return String(v);
  return `the number ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  integer: "an integer",
  number: "a number",
  string: "a string",
  boolean: "a boolean (true or false)",
  object: "a mapping",
  array: "a list",
  null: "null",
};

/** Closest candidate by edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

/** Numbers here are JavaScript doubles: past 2^53 - 1 they cannot hold every integer, so they would round. */
function inexactInteger(value: bigint): string {
  const [side, limit, formula, extreme] =
    value < 0n ? ["below", -Number.MAX_SAFE_INTEGER, "-(2^53 - 1)", "smallest"] : ["above", Number.MAX_SAFE_INTEGER, "2^53 - 1", "largest"];
  return `the integer ${value} is ${side} ${limit} (${formula}), the ${extreme} integer this tool carries exactly; refusing to round it`;
}

/**
 * The message for one ajv error at `field` (a display path) whose value is `node`.
 * `allowedKeys` lists the keys of the mapping, for unknown-key hints.
 */
export function describeError(err: ErrorObject, field: string, node: LNode | undefined, allowedKeys?: readonly string[]): string {
  const where = field ? `${field}: ` : "";
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case "type": {
      const want = String(p.type)
        .split(",")
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(" or ");
      if (node?.kind === "scalar" && typeof node.value === "bigint") {
        return `${where}${inexactInteger(node.value)}`;
      }
      return `${where}expected ${want}, got ${showValue(node)}`;
    }
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const hint = node?.kind === "scalar" && typeof node.value === "string" ? closest(node.value, (p.allowedValues as unknown[]).map(String)) : undefined;
      return `${where}${showValue(node)} is not allowed; expected one of ${allowed.join(", ")}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`;
    }
    case "const":
      return `${where}expected ${JSON.stringify(p.allowedValue)}, got ${showValue(node)}`;
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
    case "exclusiveMaximum": {
      if (node?.kind === "scalar" && typeof node.value === "bigint") {
        return `${where}${inexactInteger(node.value)}`;
      }
      const words: Record<string, string> = {
        minimum: "at least",
        exclusiveMinimum: "greater than",
        maximum: "at most",
        exclusiveMaximum: "less than",
      };
      return `${where}must be ${words[err.keyword]} ${String(p.limit)}, got ${showValue(node)}`;
    }
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const hint = allowedKeys ? closest(key, allowedKeys) : undefined;
      const known = allowedKeys && allowedKeys.length > 0 && allowedKeys.length <= 12 ? `; known keys: ${allowedKeys.join(", ")}` : "";
      return `unknown key ${JSON.stringify(key)}${field ? ` in ${field}` : ""}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : known}`;
    }
    case "required":
      return `${where}missing required key ${JSON.stringify(p.missingProperty)}`;
    case "pattern":
    case "propertyNames": {
      const words = PATTERN_WORDS.get(String(p.pattern));
      if (words) return `${where}${showValue(node)} is not ${words}`;
      return `${where}${showValue(node)} does not match ${String(p.pattern ?? "the allowed pattern")}`;
    }
    case "minLength":
      return `${where}must not be empty`;
    default:
      return `${where}${err.message ?? "is invalid"}`;
  }
}
