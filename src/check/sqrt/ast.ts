/**
 * SQRT syntax tree. It is source-faithful: spellings the grammar treats as
 * synonyms (`must`/`hard`, `|`/`union`, `session`/`session after`) and
 * parentheses are kept, so the formatter can change layout only and the tree
 * of formatted code equals the tree of the original (ranges aside).
 */

export interface Range {
  start: number;
  end: number;
}

interface NodeBase {
  range: Range;
}

export interface Program extends NodeBase {
  kind: "Program";
  declarations: Declaration[];
}

/** `/// text`; `text` is every character after the slashes up to the line break, trailing spaces included. */
export interface DocComment extends NodeBase {
  kind: "Doc";
  text: string;
}

export interface Ident extends NodeBase {
  kind: "Ident";
  name: string;
}

export type Declaration = LetDecl | ToolDecl | ToolShorthand;

export interface LetDecl extends NodeBase {
  kind: "Let";
  docs: DocComment[];
  name: Ident;
  value: Expr;
}

export type ToolId = StringLit | RegexLit;

export interface ToolDecl extends NodeBase {
  kind: "Tool";
  docs: DocComment[];
  id: ToolId;
  members: Member[];
}

export type ShorthandTarget = "result" | "session" | "session before" | "session after";

export interface ToolShorthand extends NodeBase {
  kind: "ToolShorthand";
  docs: DocComment[];
  id: ToolId;
  /** `[N]` */
  priority: NumberLit | null;
  target: ShorthandTarget | null;
  update: Update;
  when: Pred | null;
}

export type Member = PriorityMember | CheckRule | ResultBlock | SessionBlock;

export interface PriorityMember extends NodeBase {
  kind: "Priority";
  docs: DocComment[];
  value: NumberLit;
}

export type Enforcement = "must" | "hard" | "should" | "soft";

export interface CheckRule extends NodeBase {
  kind: "Check";
  docs: DocComment[];
  enforcement: Enforcement;
  outcome: "allow" | "deny";
  /** `null` means `always`. */
  when: Pred | null;
}

export interface ResultBlock extends NodeBase {
  kind: "ResultBlock";
  docs: DocComment[];
  body: Stmt[];
}

export interface SessionBlock extends NodeBase {
  kind: "SessionBlock";
  docs: DocComment[];
  timing: "before" | "after";
  body: Stmt[];
}

export type Stmt = UpdateStmt | WhenStmt;

export interface UpdateStmt extends NodeBase {
  kind: "UpdateStmt";
  docs: DocComment[];
  update: Update;
}

export interface WhenStmt extends NodeBase {
  kind: "When";
  docs: DocComment[];
  condition: Pred;
  updates: Update[];
}

export type AssignOp = "=" | "|=" | "&=" | "-=" | "^=";

export interface Update extends NodeBase {
  kind: "Update";
  target: FieldAccess;
  op: AssignOp;
  value: SetExpr;
}

export type MetaField = "tags" | "producers" | "consumers";

/** `x.tags`, `@tags`, `@result.tags`, `@session.tags`. */
export interface FieldAccess extends NodeBase {
  kind: "Field";
  base: Ident | "@" | "@result" | "@session";
  field: MetaField;
}

/** `@args.tags`, `@args.tags.union`, `@args.tags.intersect`. */
export interface ArgsField extends NodeBase {
  kind: "ArgsField";
  field: MetaField;
  suffix: "union" | "intersect" | null;
}

/** `union of tags from args`. */
export interface Aggregation extends NodeBase {
  kind: "Aggregation";
  op: "union" | "intersect";
  field: MetaField;
}

export type SetOperand = FieldAccess | ArgsField | Aggregation;

/** `x.value`, `@result.value`, `@session.value`. */
export interface ValueAccess extends NodeBase {
  kind: "Value";
  base: Ident | "@result" | "@session";
}

export interface StringLit extends NodeBase {
  kind: "String";
  /** Source text including quotes. */
  raw: string;
}
export interface RegexLit extends NodeBase {
  kind: "Regex";
  raw: string;
}
export interface WildcardLit extends NodeBase {
  kind: "Wildcard";
  raw: string;
}
export interface DatetimeLit extends NodeBase {
  kind: "Datetime";
  raw: string;
}
/** INT, FLOAT or inf/-inf/+inf, as written. */
export interface NumberLit extends NodeBase {
  kind: "Number";
  raw: string;
}
export interface BoolLit extends NodeBase {
  kind: "Bool";
  value: boolean;
}

export type ValueOperand = ValueAccess | StringLit | DatetimeLit | NumberLit | BoolLit;

export type Pred = OrPred | AndPred | NotPred | Ident | ParenPred | ValueIn | ValueEq | SetComparison;

export interface OrPred extends NodeBase {
  kind: "Or";
  left: Pred;
  right: Pred;
}
export interface AndPred extends NodeBase {
  kind: "And";
  left: Pred;
  right: Pred;
}
export interface NotPred extends NodeBase {
  kind: "Not";
  operand: Pred;
}
export interface ParenPred extends NodeBase {
  kind: "ParenPred";
  inner: Pred;
}
export interface ValueIn extends NodeBase {
  kind: "In";
  value: ValueOperand;
  set: SetExpr;
}
export interface ValueEq extends NodeBase {
  kind: "ValueEq";
  left: ValueOperand;
  right: ValueOperand;
}
export type SetComparisonOp = "overlaps" | "subset of" | "superset of" | "==" | "is empty" | "is universal";
export interface SetComparison extends NodeBase {
  kind: "SetCmp";
  op: SetComparisonOp;
  left: SetOperand;
  /** `null` for `is empty` / `is universal`. */
  right: SetExpr | null;
}

export type SetBinaryOp = "|" | "union" | "&" | "intersect" | "-" | "minus" | "^" | "xor";

export type SetExpr = SetBinary | SetWith | SetLiteral | SetOperand | Ident | ParenSet;

export interface SetBinary extends NodeBase {
  kind: "SetBinary";
  op: SetBinaryOp;
  left: SetExpr;
  right: SetExpr;
}
export interface SetWith extends NodeBase {
  kind: "SetWith";
  op: "with" | "without";
  set: SetExpr;
  element: Element;
}
export interface SetLiteral extends NodeBase {
  kind: "SetLiteral";
  elements: Element[];
}
export interface ParenSet extends NodeBase {
  kind: "ParenSet";
  inner: SetExpr;
}

export type Element = StringLit | RegexLit | WildcardLit | NumberLit | Domain;

export type Domain = BoolDomain | NumberDomain | StrDomain | DatetimeDomain;

export interface BoolDomain extends NodeBase {
  kind: "BoolDomain";
  value: boolean;
}
export interface NumberDomain extends NodeBase {
  kind: "IntDomain" | "FloatDomain";
  spec: RangeSpec;
}
export interface StrDomain extends NodeBase {
  kind: "StrDomain";
  pattern: { kind: "exact"; value: StringLit } | { kind: "matching"; value: RegexLit } | { kind: "like"; value: WildcardLit };
  length: RangeSpec | null;
}
export interface DatetimeDomain extends NodeBase {
  kind: "DatetimeDomain";
  spec: RangeSpec<DatetimeLit> | StringLit | NumberLit;
}

export type RangeOp = ".." | "..<" | "<.." | "<..<";

/** `low op high` with either bound optional; `op` is null for an exact value. */
export interface RangeSpec<B = NumberLit> extends NodeBase {
  kind: "Range";
  low: B | null;
  op: RangeOp | null;
  high: B | null;
}

export type Expr = Pred | SetExpr | Domain;

/**
 * Deep copy without `range` fields, for structural comparison (tests). Iterative:
 * an operator chain is as deep as it is long.
 */
export function stripRanges(value: unknown): unknown {
  const copy = (v: unknown): unknown => (v === null || typeof v !== "object" ? v : Array.isArray(v) ? [] : {});
  const root = copy(value);
  const stack: [unknown, unknown][] = root === value ? [] : [[value, root]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [from, to] = top as [Record<string, unknown>, Record<string, unknown>];
    for (const [k, v] of Object.entries(from)) {
      if (k === "range") continue;
      const c = copy(v);
      to[k] = c;
      if (c !== v) stack.push([v, c]);
    }
  }
  return root;
}

/** Structural equality of two trees, ignoring ranges. Iterative, like `stripRanges`. */
export function sameTree(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [x, y] = top;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== "object" || typeof y !== "object" || Array.isArray(x) !== Array.isArray(y)) return false;
    const keys = Object.keys(x).filter((k) => k !== "range");
    if (keys.length !== Object.keys(y).filter((k) => k !== "range").length) return false;
    for (const k of keys) {
      if (!Object.hasOwn(y, k)) return false;
      stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
    }
  }
  return true;
}
