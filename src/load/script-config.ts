/**
 * JS and TS configs (`sequrity.config.ts`, `.mjs`, `.cjs`, ...), run through jiti: it strips
 * TypeScript itself, so a `.ts` config loads without `typescript` installed, and it takes ESM and
 * CommonJS alike. Loading a config runs its code.
 */
import { realpathSync } from "node:fs";
import path from "node:path";

export const SCRIPT_EXTENSIONS = new Set([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"]);

/** Why a config could not be loaded: the thrown message, and where in the file when the loader says. */
export interface ScriptFailure {
  message: string;
  line?: number;
  column?: number;
}

export type ScriptResult = { ok: true; value: unknown } | { ok: false; failure: ScriptFailure };

/** Thrown messages are the user's text: one line of it, cut short, is what a diagnostic shows. */
const MAX_MESSAGE = 500;

/** Runs the config and returns its default export (a CommonJS config: `module.exports`). */
export async function loadScriptConfig(file: string): Promise<ScriptResult> {
  const { createJiti } = await import("jiti");
  // No module cache, so that watch mode and Vite's dev server see edits; no file cache, so loading writes nothing.
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false });
  try {
    return defaultExport(await jiti.import(file));
  } catch (e) {
    return { ok: false, failure: describeFailure(e, file) };
  }
}

/**
 * jiti hands back an ES module's namespace, or the `exports` of one it compiled to CommonJS (marked
 * `__esModule`), or a CommonJS module's `module.exports`, behind a proxy that answers `default` with
 * the whole module when there is none: own properties tell the three apart.
 */
function defaultExport(exports: unknown): ScriptResult {
  if ((typeof exports !== "object" && typeof exports !== "function") || exports === null) return { ok: true, value: exports };
  const own = Object.getOwnPropertyDescriptor(exports, "default");
  if (own) return { ok: true, value: own.get ? (Reflect.apply(own.get, exports, []) as unknown) : own.value };
  const isModule = Object.prototype.toString.call(exports) === "[object Module]" || Object.hasOwn(exports, "__esModule");
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
