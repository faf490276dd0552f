// Safe writes: every target is inspected before anything is written (all refusals reported at once),
// then all files of one build are written as temps and renamed into place, unchanged files untouched.
// Synchronous file calls in batches with a yield between them: thousands of small files go fast, and
// a signal arriving mid-build is still handled between batches (temp.ts).
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, renameSync, rmdirSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import { newFileDiff, shortDiff } from "./diff.js";
import { emitError } from "./errors.js";
import { findOrphans, isEnvFileName, type OrphanSweep } from "./orphans.js";
import { STDOUT_PATH, type OutputFile } from "./output-file.js";
import { inputIdentities, inspectTarget, isTarget, type OutputGuard, type Target } from "./target.js";
import { holdingTemps, removeStaleTemps, tempPathFor } from "./temp.js";

export type { OutputGuard } from "./target.js";
export type { OrphanSweep } from "./orphans.js";

const BATCH = 256;

export interface WriteResult {
  /** Paths (as given) whose content changed or that were created. */
  written: string[];
  /** Paths (as given) already holding exactly this content: not rewritten, mtime kept. */
  unchanged: string[];
  /** Orphaned generated files removed (see orphans.ts). */
  removed: string[];
}

export interface StaleOutput {
  path: string;
  reason: "missing" | "differs" | "orphaned";
  /** A short diff; empty for an orphan. */
  diff: string;
}

export interface CheckResult {
  stale: StaleOutput[];
}

export interface FileOptions {
  /** Base for relative paths (default process.cwd()). */
  cwd?: string;
  /** Build outputs: refuse inputs, links and files without the marker (target.ts). Absent for in-place rewrites. */
  guard?: OutputGuard;
  /** Reported by checkOutputs, removed by writeOutputs. */
  orphans?: OrphanSweep;
}

interface Plan {
  targets: Target[];
  orphans: string[];
}

/** Inspects every target and finds orphans; throws one DiagnosticError with every refusal. */
async function plan(files: readonly OutputFile[], options: FileOptions, keepText: boolean): Promise<Plan> {
  const cwd = options.cwd ?? process.cwd();
  const inputIds = inputIdentities(options.guard?.inputs ?? []);
  const refusals: Diagnostic[] = [];
  const targets: Target[] = [];
  const seen = new Map<string, string>();
  for (const [i, file] of files.entries()) {
    if (file.path === STDOUT_PATH) throw new TypeError("writeOutputs/checkOutputs: stdout output is printed, not written");
    if (i > 0 && i % BATCH === 0) await yieldToEvents();
    const t = inspectTarget(file, cwd, options.guard, inputIds, keepText);
    if (!isTarget(t)) {
      refusals.push(t);
      continue;
    }
    const other = seen.get(t.path);
    if (other !== undefined) {
      refusals.push(
        ...emitError("output-conflict", `two outputs would be written to ${file.path}${other === file.path ? "" : ` (also named ${other})`}`).diagnostics,
      );
      continue;
    }
    seen.set(t.path, file.path);
    targets.push(t);
  }
  if (refusals.length > 0) throw new DiagnosticError(refusals);
  const orphans = options.orphans ? findOrphans(options.orphans, cwd, inputIds) : [];
  return { targets, orphans };
}

/** Directories that `mkdir -p dir` would create, outermost first. */
function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.unshift(d);
  return missing;
}

/** Writes `data` to a new temp file; an existing file's permission bits are set exactly (the umask would clear some). */
function writeTemp(temp: string, data: Buffer, mode: number | undefined): void {
  const fd = openSync(temp, "wx", mode ?? 0o666);
  try {
    let n = 0;
    while (n < data.length) n += writeSync(fd, data, n, data.length - n);
    if (mode !== undefined) fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

/**
 * Test-only hook (documented in docs/outputs.md): with SEQURITY_CONFIG_TEST_HOLD_MS=N, a build waits N ms
 * once its temps exist and before renaming them, so tests can kill it mid-write.
 */
async function testHold(): Promise<void> {
  const ms = Number(process.env.SEQURITY_CONFIG_TEST_HOLD_MS ?? 0);
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

export async function writeOutputs(files: readonly OutputFile[], options: FileOptions = {}): Promise<WriteResult> {
  const { targets, orphans } = await plan(files, options, false);
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  const changed = targets.filter((t) => {
    if (t.existing?.same) result.unchanged.push(t.file.path);
    return !t.existing?.same;
  });
  // Leftover temps are swept for the files this build writes, and in an env folder for any
  // `.env.<name>` (a killed run may have been writing one the config has since renamed).
  const names = new Map<string, Set<string>>();
  for (const t of targets) {
    const dir = path.dirname(t.path);
    names.set(dir, (names.get(dir) ?? new Set()).add(path.basename(t.path)));
  }
  const envDir = options.orphans ? path.resolve(options.cwd ?? process.cwd(), options.orphans.dir) : undefined;
  if (envDir !== undefined && !names.has(envDir)) names.set(envDir, new Set());
  for (const [dir, own] of names) removeStaleTemps(dir, (name) => own.has(name) || (dir === envDir && isEnvFileName(name)));

  await holdingTemps(async (temps) => {
    const createdDirs: string[] = [];
    const pending: { target: Target; temp: string }[] = [];
    // Folders known to exist: thousands of files in one folder need one look, not one each.
    const present = new Set<string>();
    try {
      for (const [i, target] of changed.entries()) {
        if (i > 0 && i % BATCH === 0) await yieldToEvents();
        const dir = path.dirname(target.path);
        if (!present.has(dir)) {
          const missing = missingDirs(dir);
          if (missing.length > 0) {
            mkdirSync(dir, { recursive: true });
            createdDirs.push(...missing);
          }
          present.add(dir);
        }
        // Same directory as the target, so the final rename never crosses file systems.
        const temp = tempPathFor(target.path);
        temps.add(temp);
        pending.push({ target, temp });
        writeTemp(temp, target.data, target.existing?.mode);
      }
      await testHold();
    } catch (err) {
      for (const p of pending) {
        unlinkQuietly(p.temp);
        temps.done(p.temp);
      }
      // Deepest first; a folder something else was put into meanwhile stays.
      for (const dir of [...createdDirs].reverse()) rmdirQuietly(dir);
      throw emitError("write-failed", `nothing was written: ${(err as Error).message}`);
    }
    // Every temp exists: now the renames (each atomic). Only a failure here can leave a partial build.
    for (const [i, p] of pending.entries()) {
      try {
        renameSync(p.temp, p.target.path);
      } catch (err) {
        const done = result.written.length > 0 ? ` (already replaced: ${result.written.join(", ")})` : "";
        throw emitError("write-failed", `cannot replace ${p.target.file.path}: ${(err as Error).message}${done}`);
      }
      temps.done(p.temp);
      result.written.push(p.target.file.path);
      if (i > 0 && i % BATCH === 0) await yieldToEvents();
    }
  });

  for (const orphan of orphans) {
    try {
      unlinkSync(path.resolve(options.cwd ?? process.cwd(), orphan));
    } catch (err) {
      throw emitError("write-failed", `cannot remove the orphaned ${orphan}: ${(err as Error).message} (outputs were written)`);
    }
    result.removed.push(orphan);
  }
  return result;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Never created.
  }
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty: something else was put there.
  }
}

/** --check: what a build would change, with a short diff each; writes nothing. */
export async function checkOutputs(files: readonly OutputFile[], options: FileOptions = {}): Promise<CheckResult> {
  const { targets, orphans } = await plan(files, options, true);
  const stale: StaleOutput[] = [];
  for (const { file, existing } of targets) {
    if (existing === undefined) stale.push({ path: file.path, reason: "missing", diff: newFileDiff(file.path, file.content) });
    else if (!existing.same) {
      const diff = existing.hidden
        ? `--- ${file.path} (on disk: not generated by sequrity-config, or behind a link; content not shown)\n`
        : existing.text !== undefined
          ? shortDiff(file.path, existing.text, file.content)
          : `--- ${file.path} (on disk: too large to compare line by line)\n`;
      stale.push({ path: file.path, reason: "differs", diff });
    }
  }
  for (const orphan of orphans) stale.push({ path: orphan, reason: "orphaned", diff: "" });
  return { stale };
}
