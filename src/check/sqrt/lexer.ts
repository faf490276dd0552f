/**
 * SQRT lexer: one pass over char codes producing tokens with offsets.
 *
 * Words are never classified as keywords here: SQRT keywords are contextual
 * (the reference grammar lets `tool`, `inf`, `not`... be identifiers), so the
 * parser decides from context. Plain comments are kept aside as trivia for the
 * formatter; `///` doc comments are tokens because the grammar places them.
 */

export const T = {
  EOF: 0,
  Word: 1, // [A-Za-z_][A-Za-z0-9_]*
  Int: 2, // -?digits
  Float: 3, // -?digits.digits
  String: 4, // "..."
  Regex: 5, // r"..."
  Wildcard: 6, // w"..."
  Datetime: 7, // d"..."
  Doc: 8, // /// to end of line
  LBrace: 9,
  RBrace: 10,
  LParen: 11,
  RParen: 12,
  LBracket: 13,
  RBracket: 14,
  Semi: 15,
  Comma: 16,
  Dot: 17,
  DotValue: 18, // `.value` is one token in the reference grammar
  Assign: 19, // =
  EqEq: 20, // ==
  OrAssign: 21, // |=
  AndAssign: 22, // &=
  MinusAssign: 23, // -=
  XorAssign: 24, // ^=
  Pipe: 25,
  Amp: 26,
  Minus: 27,
  Caret: 28,
  Arrow: 29, // ->
  At: 30, // @ (followed by a field)
  AtResult: 31,
  AtSession: 32,
  AtArgs: 33,
  RangeIncl: 34, // ..
  RangeExclRight: 35, // ..<
  RangeExclLeft: 36, // <..
  RangeExclBoth: 37, // <..<
  Plus: 38, // only meaningful in `+inf`
  Error: 39, // a character or construct that cannot be lexed; `message` says why
} as const;
export type TokenKind = (typeof T)[keyof typeof T];

/** One token, as handed out by `ParseResult.tokens` (built on demand from a `TokenList`). */
export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Error tokens only: what went wrong. */
  message?: string;
}

export interface Comment {
  kind: "line" | "block";
  start: number;
  end: number;
}

/**
 * The token stream as parallel typed arrays: a 10 MB program has ~2M tokens,
 * and one object per token made parse time grow faster than input size (GC).
 * Entries `0 .. count-1` are valid; the last one is always EOF.
 */
export interface TokenList {
  count: number;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /** Message of the Error token; lexing stops at the first, so there is at most one. */
  errorMessage: string | null;
}

export interface LexResult {
  tokens: TokenList;
  comments: Comment[];
}

/** The tokens as objects, for callers that walk them (formatter, minifier). */
export function tokenObjects(list: TokenList): Token[] {
  const out: Token[] = new Array<Token>(list.count);
  for (let i = 0; i < list.count; i++) {
    const kind = list.kinds[i] as TokenKind;
    out[i] =
      kind === T.Error
        ? { kind, start: list.starts[i] as number, end: list.ends[i] as number, message: list.errorMessage ?? "" }
        : { kind, start: list.starts[i] as number, end: list.ends[i] as number };
  }
  return out;
}

/** Human-readable names for error messages ("expected ';'"). */
export const TOKEN_NAMES: Record<TokenKind, string> = {
  [T.EOF]: "end of input",
  [T.Word]: "identifier",
  [T.Int]: "integer",
  [T.Float]: "number",
  [T.String]: "string",
  [T.Regex]: "regex string",
  [T.Wildcard]: "wildcard string",
  [T.Datetime]: "datetime string",
  [T.Doc]: "doc comment",
  [T.LBrace]: "'{'",
  [T.RBrace]: "'}'",
  [T.LParen]: "'('",
  [T.RParen]: "')'",
  [T.LBracket]: "'['",
  [T.RBracket]: "']'",
  [T.Semi]: "';'",
  [T.Comma]: "','",
  [T.Dot]: "'.'",
  [T.DotValue]: "'.value'",
  [T.Assign]: "'='",
  [T.EqEq]: "'=='",
  [T.OrAssign]: "'|='",
  [T.AndAssign]: "'&='",
  [T.MinusAssign]: "'-='",
  [T.XorAssign]: "'^='",
  [T.Pipe]: "'|'",
  [T.Amp]: "'&'",
  [T.Minus]: "'-'",
  [T.Caret]: "'^'",
  [T.Arrow]: "'->'",
  [T.At]: "'@'",
  [T.AtResult]: "'@result'",
  [T.AtSession]: "'@session'",
  [T.AtArgs]: "'@args'",
  [T.RangeIncl]: "'..'",
  [T.RangeExclRight]: "'..<'",
  [T.RangeExclLeft]: "'<..'",
  [T.RangeExclBoth]: "'<..<'",
  [T.Plus]: "'+'",
  [T.Error]: "invalid input",
};

/** ASCII character classes, one table lookup instead of a chain of range tests (the hottest lexer loop). */
const IDENT_START = 1;
const IDENT_PART = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  CHAR_CLASS[c] = (letter ? IDENT_START | IDENT_PART : 0) | (c >= 48 && c <= 57 ? IDENT_PART : 0);
}

function isIdentStart(c: number): boolean {
  return c < 128 && ((CHAR_CLASS[c] as number) & IDENT_START) !== 0;
}
function isIdentPart(c: number): boolean {
  // Also false for NaN (reading past the end).
  return c < 128 && ((CHAR_CLASS[c] as number) & IDENT_PART) !== 0;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True if `word` occurs at `pos` and is not followed by an identifier character. */
function wordAt(code: string, pos: number, word: string): boolean {
  return code.startsWith(word, pos) && !isIdentPart(code.charCodeAt(pos + word.length));
}

/**
 * End offset of a quoted literal whose opening quote is at `quote`, or -1 when
 * it is not terminated. Mirrors the reference's `"([^"\\]|\\.)*"`: a backslash
 * escapes any character except a newline.
 */
function scanQuoted(code: string, quote: number): number {
  const n = code.length;
  let i = quote + 1;
  while (i < n) {
    const c = code.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const next = code.charCodeAt(i + 1);
      if (i + 1 >= n || next === 10) return -1;
      i += 2;
      continue;
    }
    i++;
  }
  return -1;
}

/**
 * Appends tokens to growable typed arrays (see `TokenList`). A writer can be
 * reused across `lex` calls: typed arrays are costly to allocate, which showed
 * when parsing many small programs.
 */
export class TokenWriter {
  count = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;

  constructor(capacity: number) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /** Empties the writer, making room for about `capacity` tokens. */
  reset(capacity: number): void {
    this.count = 0;
    if (this.kinds.length < capacity) {
      this.kinds = new Uint8Array(capacity);
      this.starts = new Int32Array(capacity);
      this.ends = new Int32Array(capacity);
    }
  }

  push(kind: TokenKind, start: number, end: number): void {
    const i = this.count;
    if (i === this.kinds.length) this.grow();
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.count = i + 1;
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    kinds.set(this.kinds);
    starts.set(this.starts);
    ends.set(this.ends);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
  }

  finish(errorMessage: string | null): TokenList {
    return { count: this.count, kinds: this.kinds, starts: this.starts, ends: this.ends, errorMessage };
  }
}

/** Ends the stream with an Error token and EOF. */
function fail(w: TokenWriter, comments: Comment[], n: number, start: number, end: number, message: string): LexResult {
  w.push(T.Error, start, end);
  w.push(T.EOF, n, n);
  return { tokens: w.finish(message), comments };
}

/**
 * Tokenises `code`. With `writer`, the tokens are written into it and the
 * returned `TokenList` shares its arrays, so it is only valid until the
 * writer's next use.
 */
export function lex(code: string, writer?: TokenWriter): LexResult {
  const n = code.length;
  // Real programs average over 5 characters per token; the writer grows if not.
  const capacity = (n >> 2) + 16;
  const w = writer ?? new TokenWriter(capacity);
  if (writer) writer.reset(capacity);
  const comments: Comment[] = [];
  let i = 0;

  while (i < n) {
    const c = code.charCodeAt(i);
    // Whitespace as the reference's common.WS: space, \t, \n, \f, \r.
    if (c === 32 || c === 10 || c === 9 || c === 13 || c === 12) {
      i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      const next = code.charCodeAt(i + 1);
      if (next === 34 && (c === 114 || c === 119 || c === 100)) {
        // r"...", w"...", d"..."
        const end = scanQuoted(code, i + 1);
        if (end < 0) return fail(w, comments, n, start, n, `unterminated ${c === 114 ? "regex" : c === 119 ? "wildcard" : "datetime"} string`);
        w.push(c === 114 ? T.Regex : c === 119 ? T.Wildcard : T.Datetime, start, end);
        i = end;
        continue;
      }
      i++;
      while (i < n && isIdentPart(code.charCodeAt(i))) i++;
      w.push(T.Word, start, i);
      continue;
    }
    if (isDigit(c) || (c === 45 && isDigit(code.charCodeAt(i + 1)))) {
      // A '-' glued to digits is a negative number: a set '-' operator can never be followed by a digit.
      i++;
      while (i < n && isDigit(code.charCodeAt(i))) i++;
      if (code.charCodeAt(i) === 46 && isDigit(code.charCodeAt(i + 1))) {
        i += 2;
        while (i < n && isDigit(code.charCodeAt(i))) i++;
        w.push(T.Float, start, i);
      } else w.push(T.Int, start, i);
      continue;
    }
    switch (c) {
      case 34: {
        const end = scanQuoted(code, i);
        if (end < 0) return fail(w, comments, n, start, n, "unterminated string");
        w.push(T.String, start, end);
        i = end;
        continue;
      }
      case 47: {
        // '/'
        const next = code.charCodeAt(i + 1);
        if (next === 47) {
          let end = code.indexOf("\n", i);
          if (end < 0) end = n;
          // A CR before the LF (or at the very end) belongs to the line break, not to the comment.
          if (code.charCodeAt(end - 1) === 13) end--;
          if (code.charCodeAt(i + 2) === 47) w.push(T.Doc, start, end);
          else comments.push({ kind: "line", start, end });
          i = end;
          continue;
        }
        if (next === 42) {
          const close = code.indexOf("*/", i + 2);
          if (close < 0) return fail(w, comments, n, start, n, "unterminated block comment ('/*' without '*/')");
          comments.push({ kind: "block", start, end: close + 2 });
          i = close + 2;
          continue;
        }
        return fail(w, comments, n, start, start + 1, "unexpected character '/'");
      }
      case 123:
        w.push(T.LBrace, i, ++i);
        continue;
      case 125:
        w.push(T.RBrace, i, ++i);
        continue;
      case 40:
        w.push(T.LParen, i, ++i);
        continue;
      case 41:
        w.push(T.RParen, i, ++i);
        continue;
      case 91:
        w.push(T.LBracket, i, ++i);
        continue;
      case 93:
        w.push(T.RBracket, i, ++i);
        continue;
      case 59:
        w.push(T.Semi, i, ++i);
        continue;
      case 44:
        w.push(T.Comma, i, ++i);
        continue;
      case 43:
        w.push(T.Plus, i, ++i);
        continue;
      case 46: {
        // '.'
        if (code.charCodeAt(i + 1) === 46) {
          if (code.charCodeAt(i + 2) === 60) w.push(T.RangeExclRight, i, (i += 3));
          else w.push(T.RangeIncl, i, (i += 2));
        } else if (wordAt(code, i + 1, "value")) w.push(T.DotValue, i, (i += 6));
        else w.push(T.Dot, i, ++i);
        continue;
      }
      case 60: {
        // '<'
        if (code.charCodeAt(i + 1) === 46 && code.charCodeAt(i + 2) === 46) {
          if (code.charCodeAt(i + 3) === 60) w.push(T.RangeExclBoth, i, (i += 4));
          else w.push(T.RangeExclLeft, i, (i += 3));
          continue;
        }
        return fail(w, comments, n, start, start + 1, "unexpected character '<'");
      }
      case 61:
        if (code.charCodeAt(i + 1) === 61) w.push(T.EqEq, i, (i += 2));
        else w.push(T.Assign, i, ++i);
        continue;
      case 124:
        if (code.charCodeAt(i + 1) === 61) w.push(T.OrAssign, i, (i += 2));
        else w.push(T.Pipe, i, ++i);
        continue;
      case 38:
        if (code.charCodeAt(i + 1) === 61) w.push(T.AndAssign, i, (i += 2));
        else w.push(T.Amp, i, ++i);
        continue;
      case 94:
        if (code.charCodeAt(i + 1) === 61) w.push(T.XorAssign, i, (i += 2));
        else w.push(T.Caret, i, ++i);
        continue;
      case 45: {
        const next = code.charCodeAt(i + 1);
        if (next === 61) w.push(T.MinusAssign, i, (i += 2));
        else if (next === 62) w.push(T.Arrow, i, (i += 2));
        else w.push(T.Minus, i, ++i);
        continue;
      }
      case 64: {
        // '@'
        if (wordAt(code, i + 1, "result")) w.push(T.AtResult, i, (i += 7));
        else if (wordAt(code, i + 1, "session")) w.push(T.AtSession, i, (i += 8));
        else if (wordAt(code, i + 1, "args")) w.push(T.AtArgs, i, (i += 5));
        else w.push(T.At, i, ++i);
        continue;
      }
      default: {
        const cp = code.codePointAt(i) ?? c;
        const ch = String.fromCodePoint(cp);
        return fail(w, comments, n, start, start + ch.length, `unexpected character ${JSON.stringify(ch)}`);
      }
    }
  }
  w.push(T.EOF, n, n);
  return { tokens: w.finish(null), comments };
}

/** The offset of the first token at or after `pos`: whitespace and plain comments skipped. */
export function skipTrivia(code: string, pos: number): number {
  let i = pos;
  while (i < code.length) {
    const c = code.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13 || c === 12) i++;
    else if (code.startsWith("//", i) && !code.startsWith("///", i)) {
      const nl = code.indexOf("\n", i);
      i = nl < 0 ? code.length : nl;
    } else if (code.startsWith("/*", i)) {
      const close = code.indexOf("*/", i + 2);
      i = close < 0 ? code.length : close + 2;
    } else break;
  }
  return i;
}
