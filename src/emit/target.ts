// What is at an output path, found without ever blocking or following a link we were not told to:
// lstat first (a FIFO or device is refused before anything opens it), then an open with O_NONBLOCK and
// O_NOFOLLOW, so a path swapped for a FIFO or a link in between cannot hang or redirect the read.
// Synchronous on purpose: a build inspects thousands of small files, and the caller yields between batches.
import type { ErrorCode } from "../errors.js";
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import { error, type Diagnostic } from "../diagnostics/index.js";
import { writtenPath } from "../load/project-files.js";
import { isGenerated, MARKER, MARKER_LINES } from "./marker.js";
import type { OutputFile } from "./output-file.js";

/** Existing files larger than this are never read whole: only their start, for the marker. */
const MAX_READ_BYTES = 64 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;

/** Build outputs get these rules; plain in-place rewrites (promote, policy fmt) do not. */
export interface OutputGuard {
  /** Absolute paths of the files the build read (config, policy files, template): never written. */
  inputs: readonly string[];
  /** `--force`: replace files without the marker and write through symbolic links. */
  force: boolean;
  /**
   * For outputs that are not builds (test reports, schemas): how an existing file is known to be
   * one the tool wrote, and that rule in words for the refusal. Default: the marker, or a
   * `build -f json` object (marker.ts).
   */
  generated?: { test: (head: string, whole: string | undefined) => boolean; words: string };
}

interface Existing {
  /** Permission bits with setuid, setgid and sticky (`0o7777`), kept on rewrite. */
  mode: number;
  /** Already holds exactly the new bytes. */
  same: boolean;
  /** The file's text, when asked for and not over MAX_READ_BYTES. */
  text?: string;
  /** Not ours, or reached through a link (only with --force): its content is never shown. */
  hidden?: true;
}

export interface Target {
  file: OutputFile;
  data: Buffer;
  /** Absolute path that is replaced (a followed link's destination). */
  path: string;
  existing?: Existing;
}

/** dev:ino of each input that exists, so a hard link or another spelling of an input is recognised too. */
export function inputIdentities(inputs: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const input of inputs) {
    try {
      ids.add(identity(statSync(input)));
    } catch {
      // An input that is gone cannot be overwritten.
    }
  }
  return ids;
}

const identity = (st: Stats): string => `${st.dev}:${st.ino}`;

function kindOf(st: Stats): string {
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

const named = (code: ErrorCode, shown: string, message: string): Diagnostic => error(code, message, { file: shown, line: 0, column: 0 });

function errnoWhy(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOTDIR") return "a parent of it is a file, not a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ELOOP") return "it is a symbolic link";
  return (err as Error).message;
}

/** `lstat`, or undefined when nothing is there. */
function lstatOrNone(abs: string): Stats | undefined {
  // No exception for the usual case of a new output (a build writing thousands of them feels it).
  return lstatSync(abs, { throwIfNoEntry: false });
}

/** Reads a regular file without blocking: all of it when at most `wholeUpTo` bytes, else its first HEAD_BYTES. */
export function readRegular(abs: string, expected: Stats, wholeUpTo = MAX_READ_BYTES): { bytes: Buffer; whole: boolean } | "changed" {
  // `abs` has no link left in its last part (a followed link was resolved), so O_NOFOLLOW holds either way.
  const fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || identity(st) !== identity(expected)) return "changed";
    const whole = st.size <= wholeUpTo;
    const buf = Buffer.alloc(whole ? st.size : HEAD_BYTES);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return { bytes: buf.subarray(0, n), whole };
  } finally {
    closeSync(fd);
  }
}

/**
 * Where `file` would be written and what is there now, or the diagnostic that refuses it. `keepText`
 * keeps the old text (for --check's diff). Without a guard, links are followed and any regular file
 * is replaced: that is for commands that rewrite their own input in place.
 */
export function inspectTarget(
  file: OutputFile,
  cwd: string,
  guard: OutputGuard | undefined,
  inputIds: ReadonlySet<string>,
  keepText: boolean,
): Target | Diagnostic {
  const shown = file.path;
  const data = Buffer.from(file.content, "utf8");
  // Node refuses such a path with a TypeError; no file can have that name.
  if (shown.includes("\0"))
    return named("output-path", shown, `cannot write the output ${writtenPath(shown)}: the path holds a NUL byte, which a file name cannot hold`);
  if (shown.endsWith("/") || shown.endsWith(path.sep)) {
    return named("output-path", shown, `cannot write the output ${shown}: a path ending in / is a directory; name a file`);
  }
  let abs = path.resolve(cwd, shown);
  let st: Stats | undefined;
  let viaLink = false;
  try {
    st = lstatOrNone(abs);
    if (st === undefined) return { file, data, path: abs };
    if (st.isSymbolicLink()) {
      viaLink = true;
      if (guard && !guard.force) {
        return named("output-symlink", shown, `refusing to write ${shown}: it is a symbolic link; pass --force to write to the file it points at`);
      }
      try {
        abs = realpathSync(abs);
        st = lstatSync(abs);
      } catch {
        // Dangling, a loop, or not a path at all (/proc/self/fd/1 of a pipe reads "pipe:[...]").
        return named(
          "output-symlink",
          shown,
          `refusing to write ${shown}: it is a symbolic link to no file that can be written; point it at a file or remove it`,
        );
      }
    }
  } catch (err) {
    return named("output-path", shown, `cannot write the output ${shown}: ${errnoWhy(err)}`);
  }
  if (st.isDirectory()) return named("output-path", shown, `cannot write the output ${shown}: it is a directory`);
  if (!st.isFile()) return named("output-not-regular", shown, `refusing to write ${shown}: it is ${kindOf(st)}; outputs are regular files`);
  if (guard && inputIds.has(identity(st))) {
    return named(
      "output-is-input",
      shown,
      `refusing to write ${shown}: it is a file this run reads (the config, a policy file, a template or a test file); choose another -o`,
    );
  }
  let read: ReturnType<typeof readRegular>;
  try {
    read = readRegular(abs, st);
  } catch (err) {
    return named("output-path", shown, `cannot write the output ${shown}: ${errnoWhy(err)}`);
  }
  if (read === "changed") return named("output-not-regular", shown, `refusing to write ${shown}: it changed while being inspected; run the build again`);
  const same = read.whole && read.bytes.equals(data);
  // Decoded only when looked at: a rebuild of unchanged files needs the bytes compared, nothing more.
  const text = read.whole && (keepText || !same) ? read.bytes.toString("utf8") : undefined;
  const generated = guard?.generated ?? BUILD_OUTPUT;
  const ours = same || !guard || generated.test(text ?? read.bytes.toString("utf8"), text);
  if (guard && !guard.force && !ours) {
    return named(
      "output-not-generated",
      shown,
      `refusing to replace ${shown}: it was not generated by sequrity-config (${generated.words}); move it away, choose another -o, or pass --force to replace it`,
    );
  }
  // A build's --check shows a diff of what it would replace, but never the lines of a file it did not
  // write or of one behind a link (with --force, that could be any file on the machine).
  const hidden = guard !== undefined && (viaLink || !ours);
  const existing: Existing = { mode: st.mode & 0o7777, same, ...(hidden ? { hidden: true } : keepText && text !== undefined ? { text } : {}) };
  return { file, data, path: abs, existing };
}

/** How a build's own outputs are recognised (marker.ts), and that rule in words for the refusal. */
const BUILD_OUTPUT: NonNullable<OutputGuard["generated"]> = {
  test: isGenerated,
  words: `no "${MARKER}" line in its first ${MARKER_LINES} lines, and not a build -f json object`,
};

export const isTarget = (t: Target | Diagnostic): t is Target => "data" in t;
