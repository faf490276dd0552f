/**
 * Cedar policies through `@cedar-policy/cedar-wasm`: the syntax check and the official formatter.
 *
 * The wasm module is loaded on first use only, so commands that never see Cedar do not pay for it.
 * The `./nodejs` build is used: CommonJS that loads its .wasm synchronously from disk. Deep input
 * (about 150 nested parentheses, or a long `||` chain) overflows the module's stack: the call
 * traps, and the instance stays broken (its stack pointer is never restored), so it is dropped and
 * the next call loads a fresh one.
 */
import type * as CedarWasm from "@cedar-policy/cedar-wasm/nodejs";
import { createRequire } from "node:module";
import { LineIndex } from "../diagnostics/positions.js";
import type { PolicyIssue } from "./issue.js";
import type { FormatResult } from "./sqrt/format.js";

type Cedar = typeof CedarWasm;

// The lib settings carry no WebAssembly types; the one class used here, as Node defines it.
declare const WebAssembly: { RuntimeError: new () => Error };

let instance: Cedar | undefined;

function cedar(): Cedar {
  if (!instance) {
    const load = createRequire(import.meta.url);
    const id = load.resolve("@cedar-policy/cedar-wasm/nodejs");
    // A dropped instance is still in the require cache: a fresh one needs a fresh module.
    delete load.cache[id];
    instance = load(id) as Cedar;
  }
  return instance;
}

const TRAPPED = Symbol("trapped");

/** `call` on the wasm module, or TRAPPED when it overflowed its stack (then the instance is dropped). */
function guarded<T>(call: (c: Cedar) => T): T | typeof TRAPPED {
  try {
    return call(cedar());
  } catch (e) {
    if (!(e instanceof RangeError) && !(e instanceof WebAssembly.RuntimeError)) throw e;
    instance = undefined;
    return TRAPPED;
  }
}

/** The policy set as a whole is too deep for Cedar's parser: no position to point at. */
const LIMIT_ISSUE: PolicyIssue = {
  severity: "error",
  code: "nesting-too-deep",
  message: "the Cedar parser ran out of stack on this policy set (an expression nested or chained too deeply); split or simplify it",
  offset: 0,
  length: 0,
  line: 1,
  column: 1,
};

/** Cedar reports UTF-8 byte offsets; JS strings index UTF-16 code units. */
function byteToCharOffset(code: string, byteOffset: number): number {
  let bytes = 0;
  for (let i = 0; i < code.length; i++) {
    if (bytes >= byteOffset) return i;
    const c = code.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return code.length;
}

/** The parser's and the formatter's errors, at their first source span. */
function issuesOf(code: string, errors: CedarWasm.DetailedError[]): PolicyIssue[] {
  const lines = new LineIndex(code);
  return errors.map((e) => {
    const loc = e.sourceLocations?.[0];
    const offset = loc ? byteToCharOffset(code, loc.start) : 0;
    const end = loc ? byteToCharOffset(code, loc.end) : 0;
    const { line, column } = lines.position(offset);
    // Both entry points prefix the same parse error with their own words.
    const message = [e.message.replace(/^(failed to parse policies from string|cannot parse input policies): /, ""), loc?.label, e.help]
      .filter(Boolean)
      .join("; ");
    return { severity: "error", code: "cedar-syntax", message, offset, length: Math.max(0, end - offset), line, column } satisfies PolicyIssue;
  });
}

/** Syntax errors of a Cedar policy set; empty when it parses. */
export async function checkCedar(code: string): Promise<PolicyIssue[]> {
  const answer = guarded((c) => c.checkParsePolicySet({ staticPolicies: code }));
  if (answer === TRAPPED) return [LIMIT_ISSUE];
  return answer.type === "success" ? [] : issuesOf(code, answer.errors);
}

/** The Cedar formatter's layout (80 columns, 2-space indentation: the `cedar format` defaults), or the syntax errors. */
export async function formatCedar(code: string): Promise<FormatResult> {
  const answer = guarded((c) => c.formatPolicies({ policyText: code, lineWidth: 80, indentWidth: 2 }));
  if (answer === TRAPPED) return { ok: false, text: code, diagnostics: [LIMIT_ISSUE] };
  if (answer.type === "failure") return { ok: false, text: code, diagnostics: issuesOf(code, answer.errors) };
  return { ok: true, text: answer.formatted_policy, diagnostics: [] };
}
