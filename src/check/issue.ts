/** A problem found in policy code; positions are inside the code string (offset 0-based, line/column 1-based). */
export interface PolicyIssue {
  severity: "error" | "warning";
  /** Stable code: `sqrt-syntax`, `cedar-syntax`, or a lint code such as `undefined-name`. */
  code: string;
  message: string;
  offset: number;
  length: number;
  line: number;
  column: number;
}
