// Handlebars, loaded on first use only (so `build -f json` never pays for it), as an isolated
// instance with our escaping helpers and HTML escaping turned off.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DiagnosticError, type SourceLocation } from "../diagnostics/index.js";
import { workingTree } from "../load/file-source.js";
import { readProjectFile, refusalDiagnostic, writtenTarget } from "../load/project-files.js";
import { emitError } from "./errors.js";
import { TEMPLATE_HELPERS } from "./helpers.js";
import { TEMPLATES_DIR } from "./paths.js";

type Handlebars = typeof import("handlebars");
export type RenderFn = (context: unknown) => string;

let instance: Promise<Handlebars> | undefined;

interface TemplatePosition {
  line: number;
  column: number;
}

/** A helper's failure, carrying where in the template the helper was called (handlebars passes `options.loc`). */
class HelperFailure extends Error {
  constructor(
    readonly original: unknown,
    readonly at: TemplatePosition | undefined,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

function handlebars(): Promise<Handlebars> {
  instance ??= import("handlebars").then((mod) => {
    const hb = mod.default.create();
    for (const [name, fn] of Object.entries(TEMPLATE_HELPERS)) {
      hb.registerHelper(name, (...args: unknown[]) => {
        try {
          return fn(...args);
        } catch (err) {
          const loc = (args.at(-1) as { loc?: { start?: TemplatePosition } } | undefined)?.loc?.start;
          throw new HelperFailure(err, loc);
        }
      });
    }
    return hb;
  });
  return instance;
}

interface AstNode {
  type?: unknown;
  path?: { type?: unknown; parts?: unknown[]; data?: unknown; original?: unknown; loc?: { start: TemplatePosition } };
  params?: unknown[];
  hash?: unknown;
}

/**
 * Handlebars only notices an unknown helper when rendering, and without a position; finding calls
 * (a name with arguments) to unregistered helpers in the parsed template gives the user file:line:col.
 */
function findUnknownHelper(node: unknown, known: ReadonlySet<string>): { name: string; at: TemplatePosition } | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findUnknownHelper(child, known);
      if (found) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== "object") return undefined;
  const n = node as AstNode;
  const call = n.type === "MustacheStatement" || n.type === "SubExpression" || n.type === "BlockStatement";
  const p = n.path;
  if (call && p?.type === "PathExpression" && !p.data && p.parts?.length === 1 && ((n.params?.length ?? 0) > 0 || n.hash) && p.loc) {
    const name = String(p.original);
    if (!known.has(name)) return { name, at: p.loc.start };
  }
  for (const [key, child] of Object.entries(n)) {
    if (key !== "loc" && key !== "path" && child && typeof child === "object") {
      const found = findUnknownHelper(child, known);
      if (found) return found;
    }
  }
  return undefined;
}

interface HandlebarsErrorShape {
  message?: unknown;
  lineNumber?: unknown;
  column?: unknown;
}

/** Where handlebars says an error is: its `lineNumber`/`column` (0-based column), else "Parse error on line N". */
function locate(err: unknown, file: string): SourceLocation {
  const e = (err ?? {}) as HandlebarsErrorShape;
  const message = typeof e.message === "string" ? e.message : "";
  let line = typeof e.lineNumber === "number" ? e.lineNumber : 0;
  let column = typeof e.column === "number" ? e.column + 1 : 1;
  if (line === 0) {
    const m = /Parse error on line (\d+)/.exec(message);
    if (m) {
      line = Number(m[1]);
      column = 1;
    }
  }
  return { file, line, column };
}

/** First line of a handlebars message, without the "- 2:3" position suffix it repeats. */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const lines = message.split("\n");
  if (lines[0]?.startsWith("Parse error") && lines.length > 1) return `template syntax error: ${lines.slice(1).join(" ").replace(/\s+/g, " ").trim()}`;
  return (lines[0] ?? "").replace(/ - \d+:\d+$/, "");
}

/**
 * Compiles template text; syntax errors and calls to unknown helpers become diagnostics at file:line:col.
 * `builtin` templates report helper failures without a template position (the user did not write them).
 */
export async function compileTemplate(source: string, file: string, builtin = false): Promise<RenderFn> {
  const hb = await handlebars();
  let ast: unknown;
  try {
    ast = hb.parse(source); // compile() is lazy; parse now so syntax errors surface here, with a position
  } catch (err) {
    throw emitError("template-syntax", describe(err), locate(err, file));
  }
  const unknown = findUnknownHelper(ast, new Set(Object.keys(hb.helpers)));
  if (unknown) {
    throw emitError("template-unknown-helper", `unknown helper "${unknown.name}"`, {
      file,
      line: unknown.at.line,
      column: unknown.at.column + 1,
      length: unknown.name.length,
    });
  }
  const template = hb.compile(source, { noEscape: true });
  return (context) => {
    try {
      return template(context);
    } catch (err) {
      const original = err instanceof HelperFailure ? err.original : err;
      const at = err instanceof HelperFailure && !builtin && err.at ? { file, line: err.at.line, column: err.at.column + 1 } : undefined;
      if (original instanceof DiagnosticError) {
        for (const d of original.diagnostics) if (at) d.location ??= at;
        throw original;
      }
      throw emitError("template-error", describe(original), at ?? locate(original, file));
    }
  };
}

/**
 * Reads and compiles a user's template, `written` relative to `cwd`; a refused, missing or
 * unreadable file is a diagnostic, not a crash. It is read like every other input (a regular file
 * under 1 MiB, inside the project root when one is given, judged as written before it is looked up).
 */
export async function loadTemplateFile(written: string, cwd: string, root?: string): Promise<RenderFn> {
  const request = { kind: "template", ...(root !== undefined ? { root } : {}) } as const;
  const target = await writtenTarget(workingTree, written, { dir: cwd, named: "the working directory" }, request);
  const read = target.ok ? await readProjectFile(workingTree, target.absolute, request) : target;
  if (!read.ok) {
    const d = refusalDiagnostic(read.refusal, written, { file: written, line: 0, column: 0 });
    throw emitError(read.refusal.code === "file-not-found" ? "template-missing" : read.refusal.code, d.message, d.location);
  }
  return compileTemplate(read.text, written);
}

const builtins = new Map<string, Promise<RenderFn>>();

/** A built-in template (`templates/<name>.hbs`), compiled once per process. */
export function builtinTemplate(name: "env" | "ts"): Promise<RenderFn> {
  let fn = builtins.get(name);
  if (fn === undefined) {
    const file = path.join(TEMPLATES_DIR, `${name}.hbs`);
    fn = readFile(file, "utf8").then((text) => compileTemplate(text, file, true));
    builtins.set(name, fn);
  }
  return fn;
}
