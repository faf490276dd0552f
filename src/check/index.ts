/**
 * The "check the policy code" stage: syntax (SQRT or Cedar) and, for SQRT,
 * optional lints. Positions in the returned issues are inside `code`.
 */
import { checkCedar } from "./cedar.js";
import { lintIssues } from "./sqrt/lint.js";
import { parseSqrt } from "./sqrt/parser.js";
import type { PolicyIssue } from "./issue.js";

export type { PolicyIssue } from "./issue.js";
export { parseSqrt } from "./sqrt/parser.js";
export { formatSqrt, type FormatResult } from "./sqrt/format.js";
export { minifySqrt } from "./sqrt/minify.js";
export { lintSqrt } from "./sqrt/lint.js";
export { checkCedar } from "./cedar.js";
export type * as SqrtAst from "./sqrt/ast.js";

export interface CheckOptions {
  /** Run the SQRT lints as well (default true). Cedar has no lints. */
  lint?: boolean;
}

export async function checkPolicyCode(code: string, language: "sqrt" | "cedar", options: CheckOptions = {}): Promise<PolicyIssue[]> {
  if (language === "cedar") return checkCedar(code);
  const parsed = parseSqrt(code);
  if (!parsed.ast) return parsed.diagnostics;
  return options.lint === false ? [] : lintIssues(parsed.ast, code);
}
