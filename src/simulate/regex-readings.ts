/**
 * Regex matching as the service's Python `re` would do it, or an honest "cannot say".
 *
 * A pattern runs on JavaScript's RegExp only where it means the same in both engines: the `bad-regex`
 * lint's Python-only syntax detection (check/sqrt/regex.ts) plus the divergences below, which
 * matter only when a pattern is executed (the lint does not warn on them):
 *   - `\a`, `\U…`, `\N{…}`, short `\x`/`\u`: escapes Python reads and JavaScript reads as letters;
 *   - backreferences: a group that did not take part fails in Python and matches empty in JavaScript;
 *   - `(?<name>…)`: a JavaScript named group, an error in Python;
 *   - `[]…]` / `[^]…]`: a literal `]` in Python, an empty class in JavaScript;
 *   - lookbehind containing a quantifier or `|`: Python needs fixed width.
 * Some constructs agree only on some text: `\d \w \s \b` (Unicode-aware in Python) on ASCII text
 * other than \x1c-\x1f, `.` on text without \r, U+2028, U+2029, `$` on text not ending in a
 * newline, and any pattern on text beyond U+FFFF when it compiles only without the `u` flag.
 *
 * D2: the three readings (`re.fullmatch`, `re.match`, `re.search`) are all evaluated; a match is
 * known only when they agree. Patterns that can backtrack exponentially (a quantified group that
 * holds a quantifier or `|`) run in a vm context with a time limit, so a test never hangs.
 */
import vm from "node:vm";
import { regexProblems } from "../check/sqrt/regex.js";

export type RegexOutcome = { known: true; value: boolean } | { known: false; why: string };

/** Time one exponential-risk match may take before it counts as unknown. */
const RISKY_TIMEOUT_MS = 250;
/** Results kept per pattern; tests repeat the same few values. */
const CACHE_LIMIT = 4096;

interface Scan {
  problems: string[];
  /** Uses `\d \w \s \b` (or their negations). */
  classEscapes: boolean;
  dot: boolean;
  dollar: boolean;
  /** A quantified group holds a quantifier or an alternation. */
  risky: boolean;
}

interface Group {
  quantified: boolean;
  alternation: boolean;
  lookbehind: boolean;
}

function scan(p: string): Scan {
  const out: Scan = { problems: [], classEscapes: false, dot: false, dollar: false, risky: false };
  const problem = (text: string): void => {
    if (!out.problems.includes(text)) out.problems.push(text);
  };
  const groups: Group[] = [{ quantified: false, alternation: false, lookbehind: false }];
  let lastGroup: Group | null = null;
  let inClass = false;
  const quantify = (): void => {
    const top = groups[groups.length - 1] as Group;
    top.quantified = true;
    if (lastGroup && (lastGroup.quantified || lastGroup.alternation)) out.risky = true;
    lastGroup = null;
  };
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === "\\") {
      const e = p[i + 1] ?? "";
      if ("dDwWsS".includes(e) || (!inClass && (e === "b" || e === "B"))) out.classEscapes = true;
      else if (e === "a") problem("'\\a' is the bell character in Python but the letter 'a' in JavaScript");
      else if (e === "U" || e === "N") problem(`'\\${e}' escapes are Python only`);
      else if (e === "x" && !/^[0-9A-Fa-f]{2}/.test(p.slice(i + 2))) problem("'\\x' needs two hex digits in Python");
      else if (e === "u" && !/^[0-9A-Fa-f]{4}/.test(p.slice(i + 2))) problem("'\\u' needs four hex digits in Python");
      else if (e >= "1" && e <= "9") problem("backreferences are not simulated (Python and JavaScript differ when the group did not take part)");
      i++;
      lastGroup = null;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    switch (c) {
      case "[":
        inClass = true;
        if (p[i + 1] === "^") i++;
        if (p[i + 1] === "]") problem("a ']' first in a class is literal in Python but ends an empty class in JavaScript");
        lastGroup = null;
        break;
      case "(": {
        const lookbehind = p.startsWith("?<=", i + 1) || p.startsWith("?<!", i + 1);
        if (!lookbehind && p.startsWith("?<", i + 1)) problem("'(?<name>...)' is JavaScript syntax; Python rejects it");
        groups.push({ quantified: false, alternation: false, lookbehind });
        lastGroup = null;
        break;
      }
      case ")": {
        const g = groups.length > 1 ? (groups.pop() as Group) : null;
        if (g) {
          if (g.lookbehind && (g.quantified || g.alternation)) problem("a lookbehind with a quantifier or '|' may not be fixed-width, which Python requires");
          const parent = groups[groups.length - 1] as Group;
          parent.quantified ||= g.quantified;
          parent.alternation ||= g.alternation;
        }
        lastGroup = g;
        continue;
      }
      case "|":
        (groups[groups.length - 1] as Group).alternation = true;
        lastGroup = null;
        break;
      case "*":
      case "+":
        quantify();
        break;
      case "?":
        // `(?`, and `?` after a quantifier (lazy), quantify nothing new.
        if (p[i - 1] !== "(" && !"*+?}".includes(p[i - 1] ?? "")) quantify();
        break;
      case "{":
        // `{,n}` quantifies in Python only: regexProblems() reports it (bad-regex).
        if (/^\{\d+(,\d*)?\}/.test(p.slice(i))) quantify();
        break;
      case ".":
        out.dot = true;
        lastGroup = null;
        break;
      case "$":
        out.dollar = true;
        lastGroup = null;
        break;
      default:
        lastGroup = null;
    }
  }
  return out;
}

const riskyContext = vm.createContext({});
const riskyScript = new vm.Script("re.lastIndex = 0; re.test(s)");

/** One `r"..."` pattern, compiled once. */
export class PythonRegex {
  private readonly problems: string[];
  private readonly scanned: Scan;
  private readonly unicode: boolean = true;
  private readonly readings: [RegExp, RegExp, RegExp] | undefined;
  private readonly cache = new Map<string, RegexOutcome>();

  constructor(readonly pattern: string) {
    this.scanned = scan(pattern);
    this.problems = [...regexProblems(pattern), ...this.scanned.problems];
    if (this.problems.length > 0) return;
    let flags = "u";
    try {
      new RegExp(pattern, flags);
    } catch {
      // regexProblems() proved the pattern compiles without the flag.
      this.unicode = false;
      flags = "";
    }
    this.readings = [new RegExp(`(?:${pattern})$`, flags + "y"), new RegExp(pattern, flags + "y"), new RegExp(pattern, flags)];
  }

  /** Whether Python would find a match in `text`, under all three readings (D2). */
  test(text: string): RegexOutcome {
    let hit = this.cache.get(text);
    if (hit === undefined) {
      hit = this.run(text);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(text, hit);
    }
    return hit;
  }

  private run(text: string): RegexOutcome {
    const first = this.problems[0];
    if (first !== undefined || !this.readings) return { known: false, why: first ?? "the pattern cannot be run" };
    const s = this.scanned;
    if (s.classEscapes && /[\x1c-\x1f\u0080-\uffff]/.test(text))
      return { known: false, why: "\\d, \\w, \\s and \\b are Unicode-aware in Python; not simulated on this text" };
    if (s.dot && /[\r\u2028\u2029]/.test(text)) return { known: false, why: "'.' matches \\r, U+2028 and U+2029 in Python but not in JavaScript" };
    if (s.dollar && text.endsWith("\n")) return { known: false, why: "'$' also matches before a final newline in Python" };
    if (!this.unicode && /[\ud800-\udfff]/.test(text))
      return { known: false, why: "characters beyond U+FFFF are one character in Python; this pattern runs only on UTF-16 units here" };
    // A full match is a match at the start, which is a match somewhere: search first, then narrow.
    const [fullRe, matchRe, searchRe] = this.readings;
    const search = this.exec(searchRe, text);
    if (search === undefined) return this.tooSlow();
    if (!search) return { known: true, value: false };
    const match = this.exec(matchRe, text);
    const full = match ? this.exec(fullRe, text) : false;
    if (match === undefined || full === undefined) return this.tooSlow();
    if (full) return { known: true, value: true };
    return { known: false, why: `the readings disagree: fullmatch ${full}, match ${match}, search ${search}` };
  }

  /** One reading; undefined when a risky pattern ran out of time. */
  private exec(re: RegExp, text: string): boolean | undefined {
    if (!this.scanned.risky) {
      re.lastIndex = 0;
      return re.test(text);
    }
    riskyContext.re = re;
    riskyContext.s = text;
    try {
      return riskyScript.runInContext(riskyContext, { timeout: RISKY_TIMEOUT_MS }) as boolean;
    } catch {
      return undefined;
    }
  }

  private tooSlow(): RegexOutcome {
    return { known: false, why: `matching took longer than ${RISKY_TIMEOUT_MS} ms (the pattern backtracks exponentially)` };
  }
}

const compiled = new Map<string, PythonRegex>();

/** The compiled pattern, shared by every use of the same pattern text. */
export function pythonRegex(pattern: string): PythonRegex {
  let r = compiled.get(pattern);
  if (!r) {
    r = new PythonRegex(pattern);
    compiled.set(pattern, r);
  }
  return r;
}
