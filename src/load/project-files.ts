/**
 * The one way the load stage reads a user's file. A file that a config names (policy files,
 * imports, templates, test files) must be inside the project root as written (`writtenTarget`,
 * before anything is looked up) and once resolved, symlinks followed (never out of it); every file
 * must be a regular file under its size cap, checked before it is opened, so neither a FIFO nor
 * /dev/zero can block or exhaust memory. Refusals never show any of the file's content.
 */
import path from "node:path";
import { error, type Diagnostic, type SourceLocation } from "../diagnostics/index.js";
import type { FileSource } from "./file-source.js";

export const MIB = 1024 * 1024;

/** What kind of file is being read, for messages and its size cap. */
export const FILE_KINDS = {
  config: { what: "config file", maxBytes: 4 * MIB },
  policy: { what: "policy file", maxBytes: MIB },
  template: { what: "template", maxBytes: MIB },
  test: { what: "test file", maxBytes: 4 * MIB },
} as const;
export type FileKind = keyof typeof FILE_KINDS;

/** Symlink hops allowed while resolving one path (Linux allows 40). */
const MAX_LINKS = 40;

export type Resolved = { ok: true; real: string } | { ok: false; why: "missing" | "loop" | "not-a-directory" | "outside" };

/**
 * The real path of `absolute` in `source`, following every symlink on the way (like realpath(3)).
 * With `within`, nothing outside that folder but the folders above it is looked at: a symlink that
 * leads out is "outside" at once, so whether something exists out there never shows.
 */
export async function realPath(source: FileSource, absolute: string, within?: string): Promise<Resolved> {
  let hops = 0;
  let done = path.parse(absolute).root;
  const pending = absolute.slice(done.length).split(path.sep).filter(Boolean);
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === ".") continue;
    if (part === "..") {
      done = path.dirname(done);
      continue;
    }
    const next = path.join(done, part);
    if (within !== undefined && !isInside(within, next) && !isInside(next, within)) return { ok: false, why: "outside" };
    const entry = await source.lstat(next);
    if (!entry) return { ok: false, why: "missing" };
    if (entry.kind === "symlink") {
      if (++hops > MAX_LINKS) return { ok: false, why: "loop" };
      const target = await source.readlink(next);
      if (path.isAbsolute(target)) done = path.parse(target).root;
      pending.unshift(...target.split(/[\\/]/).filter(Boolean));
      continue;
    }
    if (entry.kind !== "directory" && pending.length > 0) return { ok: false, why: "not-a-directory" };
    done = next;
  }
  return { ok: true, real: done };
}

/** True when `inner` is `outer` or below it. */
export function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * The project root for a config file: the git work tree holding it (the nearest folder upward
 * with a `.git` entry), else the config's own folder. Real paths, so symlinked checkouts work.
 */
export async function projectRoot(source: FileSource, configAbsolute: string): Promise<string> {
  if (source.root !== undefined) return source.root;
  const dirResolved = await realPath(source, path.dirname(configAbsolute));
  const dir = dirResolved.ok ? dirResolved.real : path.dirname(configAbsolute);
  for (let d = dir; ; d = path.dirname(d)) {
    if (await source.lstat(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

/** Why a file was not read; `message(name)` says it for the path as the caller shows it. */
export interface ReadRefusal {
  code: ReadCode;
  message(name: string): string;
}

/** `text` without a leading byte-order mark; `bom` says there was one (so a rewrite can keep it). */
export type ReadResult = { ok: true; text: string; real: string; bom: boolean } | { ok: false; refusal: ReadRefusal };

export interface ReadRequest {
  kind: FileKind;
  /** When set, the file must resolve inside this folder (the project root). */
  root?: string;
}

type ReadCode = "read-failed" | "file-not-found" | "outside-project" | "home-path" | "invalid-path" | "not-a-regular-file" | "file-too-large" | "binary-file";

const utf8 = new TextDecoder("utf-8", { fatal: true });

const KIND_WORDS: Record<string, string> = { directory: "a directory", other: "not a regular file (a device, FIFO or socket)" };

/** Reads a user's text file through `source`, or says why not (never with any of its content). */
export async function readProjectFile(source: FileSource, absolute: string, request: ReadRequest): Promise<ReadResult> {
  const { what, maxBytes } = FILE_KINDS[request.kind];
  const refuse = (code: ReadCode, message: (name: string) => string): ReadResult => ({ ok: false, refusal: { code, message } });
  if (absolute.includes("\0")) return { ok: false, refusal: nulRefusal(what) };
  const root = request.root;
  // Whether the path leaves the project is decided before anything is looked up, and again once resolved.
  const outside = () => ({ ok: false as const, refusal: outsideRefusal(what, root as string) });
  if (root !== undefined && !isInside(root, absolute)) return outside();
  const resolved = await realPath(source, absolute, root);
  if (!resolved.ok) {
    if (resolved.why === "outside") return outside();
    return resolved.why === "loop"
      ? refuse("read-failed", (n) => `cannot read ${what} ${n}: too many levels of symbolic links`)
      : refuse("file-not-found", (n) => `cannot read ${what} ${n}: not found`);
  }
  if (root !== undefined && !isInside(root, resolved.real)) return outside();
  const entry = await source.lstat(resolved.real);
  if (!entry) return refuse("file-not-found", (n) => `cannot read ${what} ${n}: not found`);
  if (entry.kind !== "file")
    return refuse("not-a-regular-file", (n) => `${what} ${n} is ${KIND_WORDS[entry.kind] ?? "not a regular file"}; only regular files are read`);
  const tooLarge = (size: string) => refuse("file-too-large", (n) => `${what} ${n} is ${size}, over the ${formatSize(maxBytes)} limit for a ${what}`);
  if (entry.size > maxBytes) return tooLarge(formatSize(entry.size));
  let bytes: Buffer;
  try {
    bytes = await source.readFile(resolved.real, maxBytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTREG") return refuse("not-a-regular-file", (n) => `${what} ${n} is not a regular file; only regular files are read`);
    const why = code === "EACCES" ? "permission denied" : code === "ENOENT" ? "not found" : (code ?? (e as Error).message);
    return refuse(code === "ENOENT" ? "file-not-found" : "read-failed", (n) => `cannot read ${what} ${n}: ${why}`);
  }
  // The file grew, or stat did not say its size (files in /proc).
  if (bytes.length > maxBytes) return tooLarge("larger than that");
  if (bytes.includes(0)) return refuse("binary-file", (n) => `${what} ${n} is a binary file, not text`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return refuse("binary-file", (n) => `${what} ${n} is not valid UTF-8 text`);
  }
  // The decoder drops a leading byte-order mark; the bytes tell whether there was one.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text, real: resolved.real, bom };
}

const nulRefusal = (what: string): ReadRefusal => ({
  code: "invalid-path",
  message: (n) => `${what} ${n} holds a NUL byte, which a file name cannot hold`,
});

const outsideRefusal = (what: string, root: string): ReadRefusal => ({
  code: "outside-project",
  message: (n) => `${what} ${n} is outside the project root ${root}; only files inside the project are read`,
});

export type WrittenTarget = { ok: true; absolute: string } | { ok: false; refusal: ReadRefusal };

/** The folder a written path is relative to, and how messages name it. */
export interface PathBase {
  dir: string;
  /** "the config file", "the working directory" */
  named: string;
  /** `dir` is already a real path (a caller resolving many paths from one folder resolves it once). */
  real?: boolean;
}

/**
 * Where a path a user wrote points, decided from its text alone: refused when it holds a NUL,
 * starts with `~` (paths are never expanded by a shell here, so `~/x` would silently mean a folder
 * named `~`), or, with `request.root`, leaves the project root as written. It is resolved from the
 * base folder's real path, where the root was found, so a symlinked checkout is not mistaken for a
 * way out; reading it (`readProjectFile`) then follows symlinks and checks the root again.
 */
export async function writtenTarget(source: FileSource, written: string, base: PathBase, request: ReadRequest): Promise<WrittenTarget> {
  const { what } = FILE_KINDS[request.kind];
  if (written.includes("\0")) return { ok: false, refusal: nulRefusal(what) };
  if (written.startsWith("~")) {
    return { ok: false, refusal: { code: "home-path", message: (n) => `${what} ${n}: "~" is not expanded; write the path relative to ${base.named}` } };
  }
  const absolute = path.resolve(base.real ? base.dir : await realDir(source, base.dir), written);
  if (request.root !== undefined && !isInside(request.root, absolute)) return { ok: false, refusal: outsideRefusal(what, request.root) };
  return { ok: true, absolute };
}

/** `dir`'s real path, or `dir` itself when it cannot be resolved (reading will say why). */
export async function realDir(source: FileSource, dir: string): Promise<string> {
  const resolved = await realPath(source, path.resolve(dir));
  return resolved.ok ? resolved.real : dir;
}

/** A path as the user wrote it, quoted only when it holds spaces, quotes or control characters. */
export function writtenPath(written: string): string {
  return /^[\x21-\x7e]+$/.test(written) && !/["'\\]/.test(written) ? written : JSON.stringify(written);
}

/** The refusal as a diagnostic, at `location` when given. */
export function refusalDiagnostic(refusal: ReadRefusal, name: string, location?: SourceLocation): Diagnostic {
  return error(refusal.code, refusal.message(name), location);
}

/** `1.5 GiB`, `12 KiB`, `300 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}
