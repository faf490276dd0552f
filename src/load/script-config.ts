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

/** Runs the config and returns its default export (or its exports when it has no default). */
export async function loadScriptConfig(file: string): Promise<ScriptResult> {
  const { createJiti } = await import("jiti");
  // No module cache, so that watch mode and Vite's dev server see edits; no file cache, so loading writes nothing.
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false });
  try {
    return { ok: true, value: await jiti.import(file, { default: true }) };
  } catch (e) {
    return { ok: false, failure: describeFailure(e, file) };
  }
}

function describeFailure(thrown: unknown, file: string): ScriptFailure {
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
