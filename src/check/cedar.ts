/**
 * Cedar policy syntax check through `@cedar-policy/cedar-wasm`.
 *
 * The wasm module is imported lazily (first call only) so that commands which
 * never see Cedar do not pay for loading it. The `./nodejs` build is used: it
 * loads its .wasm synchronously from disk, which is what Node ESM needs.
 */
import { LineIndex } from "../diagnostics/positions.js";
import type { PolicyIssue } from "./issue.js";

interface CedarSourceLabel {
  label?: string | null;
  start: number;
  end: number;
}
interface CedarError {
  message: string;
  help?: string | null;
  sourceLocations?: CedarSourceLabel[];
}
type CheckParse = (policies: { staticPolicies: string }) => { type: "success" } | { type: "failure"; errors: CedarError[] };

let loader: Promise<CheckParse> | undefined;

function loadCedar(): Promise<CheckParse> {
  loader ??= import("@cedar-policy/cedar-wasm/nodejs").then((m) => m.checkParsePolicySet as unknown as CheckParse);
  return loader;
}

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

/** Syntax errors of a Cedar policy set; empty when it parses. */
export async function checkCedar(code: string): Promise<PolicyIssue[]> {
  const checkParse = await loadCedar();
  const answer = checkParse({ staticPolicies: code });
  if (answer.type === "success") return [];
  const lines = new LineIndex(code);
  return answer.errors.map((e) => {
    const loc = e.sourceLocations?.[0];
    const offset = loc ? byteToCharOffset(code, loc.start) : 0;
    const end = loc ? byteToCharOffset(code, loc.end) : 0;
    const { line, column } = lines.position(offset);
    const message = [e.message.replace(/^failed to parse policies from string: /, ""), loc?.label, e.help].filter(Boolean).join("; ");
    return { severity: "error", code: "cedar-syntax", message, offset, length: Math.max(0, end - offset), line, column } satisfies PolicyIssue;
  });
}
