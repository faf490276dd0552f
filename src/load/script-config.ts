/**
 * JS and TS configs (`sequrity.config.ts`, `.mjs`, `.cjs`, ...), run through jiti: it strips
 * TypeScript itself, so a `.ts` config loads without `typescript` installed, and it takes ESM and
 * CommonJS alike. Loading a config runs its code.
 */
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const SCRIPT_EXTENSIONS = new Set([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"]);

/** Why a config could not be loaded: the thrown message, and where in the file when the loader says. */
export interface ScriptFailure {
  message: string;
  line?: number;
  column?: number;
}

/** `modules`: the other files the config loaded (outside node_modules), read afresh at every load. */
export type ScriptResult = { ok: true; value: unknown; modules: string[] } | { ok: false; failure: ScriptFailure; modules: string[] };

/** Thrown messages are the user's text: one line of it, cut short, is what a diagnostic shows. */
const MAX_MESSAGE = 500;

const requireCache = createRequire(import.meta.url).cache;
const inPackage = (file: string) => file.split(path.sep).includes("node_modules");
// V8's message when a module compiled to CommonJS holds a top-level await.
const TOP_LEVEL_AWAIT = /await is only valid in async functions and the top level bodies of modules/;

/**
 * Runs the config and returns its default export (a CommonJS config: `module.exports`), with the
 * files it loaded. jiti compiles it and what it imports to CommonJS and loads them through the
 * require cache; what this load added there (but installed packages) is listed and then dropped
 * from the cache, so the next load (watch mode, Vite's dev server) reads every edited file afresh
 * and watch mode knows which files to follow. No file cache, so loading writes nothing.
 * A config with a top-level await cannot be CommonJS: it is imported as an ES module instead, and
 * the modules it imports are then read once per process (Node caches ES modules for good).
 */
export async function loadScriptConfig(file: string): Promise<ScriptResult> {
  const { createJiti } = await import("jiti");
  const jiti = createJiti(import.meta.url, { moduleCache: true, fsCache: false });
  const before = new Set(Object.keys(requireCache));
  const loaded = (): string[] => {
    const added = Object.keys(requireCache).filter((k) => !before.has(k) && !inPackage(k));
    for (const k of added) delete requireCache[k];
    return added.filter((k) => !sameFile(k, file)).sort();
  };
  try {
    const exports: unknown = jiti(file);
    return { ...defaultExport(exports, file), modules: loaded() };
  } catch (e) {
    const modules = loaded();
    if (!(e instanceof SyntaxError && TOP_LEVEL_AWAIT.test(e.message))) return { ok: false, failure: describeFailure(e, file), modules };
  }
  try {
    return { ...defaultExport(await createJiti(import.meta.url, { moduleCache: false, fsCache: false }).import(file), file), modules: [] };
  } catch (e) {
    return { ok: false, failure: describeFailure(e, file), modules: [] };
  }
}

/**
 * jiti hands back an ES module's namespace, or the `exports` of one it compiled to CommonJS (marked
 * `__esModule`), or a CommonJS module's `module.exports`, behind a proxy that answers `default` with
 * the whole module when there is none: own properties tell the three apart.
 */
function defaultExport(exports: unknown, file: string): { ok: true; value: unknown } | { ok: false; failure: ScriptFailure } {
  if ((typeof exports !== "object" && typeof exports !== "function") || exports === null) return { ok: true, value: exports };
  const own = Object.getOwnPropertyDescriptor(exports, "default");
  if (own) return { ok: true, value: own.get ? (Reflect.apply(own.get, exports, []) as unknown) : own.value };
  // An .mjs/.mts file is an ES module even when it has no import or export to mark it so.
  const isModule = Object.prototype.toString.call(exports) === "[object Module]" || Object.hasOwn(exports, "__esModule") || /\.m[jt]s$/.test(file);
  if (!isModule) return { ok: true, value: exports };
  const names = Object.keys(exports).filter((k) => k !== "__esModule");
  const exported = names.length === 0 ? "it exports nothing" : `it exports only ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}`;
  return { ok: false, failure: { message: `it has no default export (${exported}); the config must be its default export: \`export default { ... }\`` } };
}

/** A thrown value as a diagnostic shows it: the first line of its message, cut short. */
export function describeFailure(thrown: unknown, file: string): ScriptFailure {
  let text: string;
  try {
    text = thrown instanceof Error ? thrown.message : String(thrown);
  } catch {
    text = "it threw a value that cannot be shown";
  }
  const [first = "", second = ""] = text.split("\n");
  const message = first.trim().length > MAX_MESSAGE ? `${first.trim().slice(0, MAX_MESSAGE)}…` : first.trim();
  // jiti reports a syntax error as "ParseError: MESSAGE \n FILE:LINE:COLUMN", the column counted from 0.
  const at = /^\s*(.+):(\d+):(\d+)\s*$/.exec(second);
  if (at && sameFile(at[1] as string, file)) return { message, line: Number(at[2]), column: Number(at[3]) + 1 };
  return { message };
}

/** The loader may name the file by its real path (a symlinked folder such as macOS's /tmp). */
function sameFile(named: string, file: string): boolean {
  if (path.resolve(named) === file) return true;
  try {
    return realpathSync(named) === realpathSync(file);
  } catch {
    return false;
  }
}
