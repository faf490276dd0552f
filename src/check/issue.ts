import type { ErrorCode } from "../errors.js";
/** A problem found in policy code; positions are inside the code string (offset 0-based, line/column 1-based). */
export interface PolicyIssue {
  severity: "error" | "warning";
  /** Stable code: `sqrt-syntax`, `cedar-syntax`, or a lint code such as `undefined-name`. */
  code: ErrorCode;
  message: string;
  offset: number;
  length: number;
  line: number;
  column: number;
  /**
   * Other places the message refers to (the rule that shadows this one, the first of two lets).
   * Only offsets: the caller knows where the code sits in the user's file (a YAML block, a merged string).
   */
  related?: RelatedSpan[];
}

export interface RelatedSpan {
  offset: number;
  length: number;
  message: string;
}
