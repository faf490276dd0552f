// Safe writes: all files of one build or none, each replaced atomically, unchanged files untouched.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, realpath, rename, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { emitError } from "./errors.js";
import { newFileDiff, shortDiff } from "./diff.js";
import { STDOUT_PATH, type OutputFile } from "./output-file.js";

export interface WriteResult {
  /** Paths (as given) whose content changed or that were created. */
  written: string[];
  /** Paths (as given) already holding exactly this content: not rewritten, mtime kept. */
  unchanged: string[];
}

export interface StaleOutput {
  path: string;
  reason: "missing" | "differs";
  diff: string;
}

export interface CheckResult {
  stale: StaleOutput[];
}

export interface FileOptions {
  /** Base for relative paths (default process.cwd()). */
  cwd?: string;
}

/** The file's bytes, or undefined when it does not exist; anything else in the way is the user's to fix. */
async function readIfExists(file: string, shown: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    const why = code === "EISDIR" ? "it is a directory" : code === "ENOTDIR" ? "a parent of it is a file, not a directory" : (err as Error).message;
    throw emitError("output-path", `cannot write the output ${shown}: ${why}`);
  }
}

function resolveAll(files: readonly OutputFile[], cwd: string): string[] {
  const seen = new Set<string>();
  return files.map((f) => {
    if (f.path === STDOUT_PATH) throw new TypeError("writeOutputs/checkOutputs: stdout output is printed, not written");
    const abs = path.resolve(cwd, f.path);
    if (seen.has(abs)) throw emitError("output-conflict", `two outputs would be written to ${f.path}`);
    seen.add(abs);
    return abs;
  });
}

/** Removes directories we created (deepest first) when a build is abandoned; leaves them if anything else is inside. */
async function removeCreatedDirs(created: readonly string[]): Promise<void> {
  for (const dir of [...created].sort((x, y) => y.length - x.length)) await rmdir(dir).catch(() => undefined);
}

/** Directories that `mkdir -p dir` would create, deepest last. */
async function missingDirs(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    if ((await exists(d)) || path.dirname(d) === d) break;
    missing.unshift(d);
  }
  return missing;
}

async function exists(d: string): Promise<boolean> {
  try {
    await stat(d);
    return true;
  } catch {
    return false;
  }
}

export async function writeOutputs(files: readonly OutputFile[], options: FileOptions = {}): Promise<WriteResult> {
  const cwd = options.cwd ?? process.cwd();
  const targets = resolveAll(files, cwd);
  const result: WriteResult = { written: [], unchanged: [] };
  const pending: { file: OutputFile; target: string; temp: string }[] = [];
  const createdDirs: string[] = [];
  try {
    for (const [i, file] of files.entries()) {
      // Write through a symlink to the file it points at, rather than replacing the link.
      const target = await realpath(targets[i] as string).catch(() => targets[i] as string);
      const data = Buffer.from(file.content, "utf8");
      const existing = await readIfExists(target, file.path);
      if (existing !== undefined && existing.equals(data)) {
        result.unchanged.push(file.path);
        continue;
      }
      const dir = path.dirname(target);
      createdDirs.push(...(await missingDirs(dir)));
      await mkdir(dir, { recursive: true });
      // Same directory as the target, so the final rename never crosses file systems.
      const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
      const mode = existing !== undefined ? (await stat(target)).mode & 0o777 : 0o666;
      pending.push({ file, target, temp });
      await writeFile(temp, data, { flag: "wx", mode });
    }
  } catch (err) {
    await Promise.all(pending.map((p) => unlink(p.temp).catch(() => undefined)));
    await removeCreatedDirs(createdDirs);
    if (err && typeof err === "object" && "diagnostics" in err) throw err;
    throw emitError("write-failed", `nothing was written: ${(err as Error).message}`);
  }
  // Every temp exists: now the renames (each atomic). Only a failure here can leave a partial build.
  for (const [i, p] of pending.entries()) {
    try {
      await rename(p.temp, p.target);
    } catch (err) {
      await Promise.all(pending.slice(i).map((q) => unlink(q.temp).catch(() => undefined)));
      const done = result.written.length > 0 ? ` (already replaced: ${result.written.join(", ")})` : "";
      throw emitError("write-failed", `cannot replace ${p.file.path}: ${(err as Error).message}${done}`);
    }
    result.written.push(p.file.path);
  }
  return result;
}

/** --check: what would change, with a short diff each; writes nothing. */
export async function checkOutputs(files: readonly OutputFile[], options: FileOptions = {}): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const targets = resolveAll(files, cwd);
  const stale: StaleOutput[] = [];
  for (const [i, file] of files.entries()) {
    const existing = await readIfExists(targets[i] as string, file.path);
    if (existing === undefined) stale.push({ path: file.path, reason: "missing", diff: newFileDiff(file.path, file.content) });
    else if (!existing.equals(Buffer.from(file.content, "utf8"))) {
      stale.push({ path: file.path, reason: "differs", diff: shortDiff(file.path, existing.toString("utf8"), file.content) });
    }
  }
  return { stale };
}
