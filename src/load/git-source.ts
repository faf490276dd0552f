/**
 * Files as they are in a git revision, read through the `git` command (never a shell, never a
 * checkout: the working tree is not touched). One `git ls-tree` lists every entry with its mode,
 * object id and size; contents come from one long-lived `git cat-file --batch` process, asked by
 * object id so that every read sees the same commit even if the ref moves meanwhile.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import type { EntryKind, FileSource, SourceEntry } from "./file-source.js";

/** git is missing, the folder is not in a repository, or the revision is unknown: `message` is git's own words. */
export class GitError extends Error {
  override readonly name = "GitError";
}

/** Output cap for the ls-tree listing: millions of entries, never unbounded. */
const MAX_LISTING_BYTES = 256 * 1024 * 1024;
/** As many symlinks followed in one path as Linux allows before ELOOP. */
const MAX_SYMLINK_HOPS = 40;

function runGit(cwd: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, encoding: "buffer", maxBuffer: MAX_LISTING_BYTES, windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      reject(new GitError(gitMessage(err, stderr)));
    });
  });
}

function gitMessage(err: Error & { code?: unknown }, stderr: Buffer | string | undefined): string {
  if (err.code === "ENOENT") return "git is not installed (or not on PATH)";
  const text = String(stderr ?? "").trim();
  return text !== "" ? text : err.message;
}

/**
 * The top folder of the work tree holding `dir`, spelled from `dir` (`--show-cdup`), so that a
 * checkout reached through a symlinked path keeps that spelling, as the config's path does.
 */
export async function gitTopLevel(dir: string): Promise<string> {
  const out = await runGit(dir, ["rev-parse", "--show-cdup"]);
  return path.resolve(dir, out.toString("utf8").replace(/\r?\n$/, ""));
}

interface TreeEntry extends SourceEntry {
  /** Blob id for files and symlinks. */
  oid?: string;
}

const DIRECTORY: TreeEntry = { kind: "directory", size: 0 };

function errno(code: string, what: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${what}, '${file}'`), { code });
}

/** A `FileSource` that can also stop its `git cat-file` process. */
export interface GitSource extends FileSource {
  /** Ends the `git cat-file` process; later reads start a new one. Idempotent. */
  close(): void;
}

/**
 * The files of revision `rev` of the repository whose work tree is `repoTop`, at the paths they
 * have in the work tree; the project root is `repoTop`. Throws GitError.
 */
export async function gitSource(repoTop: string, rev: string): Promise<GitSource> {
  const top = path.resolve(repoTop);
  const listing = await runGit(top, ["ls-tree", "-r", "-l", "-z", "--full-tree", "--end-of-options", rev]);
  const { entries, children } = parseListing(listing);
  const blobs = new BlobReader(top);
  const links = new Map<string, Promise<string>>();

  const target = (rel: string): Promise<string> => {
    let p = links.get(rel);
    if (!p) {
      p = blobs.read((entries.get(rel) as TreeEntry).oid as string, 4096).then((b) => b.toString("utf8"));
      links.set(rel, p);
    }
    return p;
  };

  /** Repository-relative path of an absolute one; undefined outside the work tree. */
  const relative = (absolute: string): string | undefined => {
    const rel = path.relative(top, path.resolve(absolute));
    if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join("/");
  };

  /** For a folder above the work tree: the name of the next folder down towards it (those folders exist, holding only that). */
  const above = (absolute: string): string | undefined => {
    const rel = path.relative(path.resolve(absolute), top);
    return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? undefined : rel.split(path.sep)[0];
  };

  /** Follows symlinks like the kernel does (every component; the last one only when asked). */
  const find = async (absolute: string, followLast: boolean): Promise<{ rel: string; entry: TreeEntry } | undefined> => {
    const start = relative(absolute);
    if (start === undefined) return undefined;
    let pending = start === "" ? [] : start.split("/");
    const done: string[] = [];
    let hops = 0;
    for (;;) {
      const name = pending.shift();
      if (name === undefined) {
        const rel = done.join("/");
        return { rel, entry: rel === "" ? DIRECTORY : ((entries.get(rel) ?? DIRECTORY) as TreeEntry) };
      }
      if (name === "" || name === ".") continue;
      if (name === "..") {
        if (done.length === 0) return undefined;
        done.pop();
        continue;
      }
      const rel = [...done, name].join("/");
      const entry = entries.get(rel) ?? (children.has(rel) ? DIRECTORY : undefined);
      if (!entry) return undefined;
      if (entry.kind === "symlink" && (pending.length > 0 || followLast)) {
        if (++hops > MAX_SYMLINK_HOPS) throw errno("ELOOP", "too many symbolic links", absolute);
        const to = await target(rel);
        if (path.posix.isAbsolute(to) || path.isAbsolute(to)) {
          const inside = relative(to);
          if (inside === undefined) return undefined;
          done.length = 0;
          pending = [...(inside === "" ? [] : inside.split("/")), ...pending];
        } else pending = [...to.split("/"), ...pending];
        continue;
      }
      if (entry.kind !== "directory" && pending.length > 0) return undefined;
      done.push(name);
    }
  };

  return {
    label: `git revision ${rev}`,
    root: top,
    async lstat(absolute) {
      if (above(absolute) !== undefined) return { kind: "directory", size: 0 };
      const found = await find(absolute, false);
      return found ? { kind: found.entry.kind, size: found.entry.size } : undefined;
    },
    async readlink(absolute) {
      if (above(absolute) !== undefined) throw errno("EINVAL", "not a symbolic link", absolute);
      const found = await find(absolute, false);
      if (!found) throw errno("ENOENT", "no such file or directory", absolute);
      if (found.entry.kind !== "symlink") throw errno("EINVAL", "not a symbolic link", absolute);
      return target(found.rel);
    },
    async readFile(absolute, maxBytes) {
      if (above(absolute) !== undefined) throw errno("EISDIR", "illegal operation on a directory", absolute);
      const found = await find(absolute, true);
      if (!found) throw errno("ENOENT", "no such file or directory", absolute);
      if (found.entry.kind === "directory") throw errno("EISDIR", "illegal operation on a directory", absolute);
      if (found.entry.kind !== "file") throw errno("EINVAL", "not a regular file", absolute);
      return blobs.read(found.entry.oid as string, maxBytes + 1);
    },
    async readdir(absolute) {
      const next = above(absolute);
      if (next !== undefined) return [next];
      const found = await find(absolute, true);
      if (!found) throw errno("ENOENT", "no such file or directory", absolute);
      if (found.entry.kind !== "directory") throw errno("ENOTDIR", "not a directory", absolute);
      return [...(children.get(found.rel) ?? [])].sort();
    },
    close: () => blobs.close(),
  };
}

/** `git ls-tree -r -l -z` records: `MODE TYPE OID SIZE\tPATH\0`. Directories are the paths' prefixes. */
function parseListing(listing: Buffer): { entries: Map<string, TreeEntry>; children: Map<string, Set<string>> } {
  const entries = new Map<string, TreeEntry>();
  const children = new Map<string, Set<string>>([["", new Set()]]);
  for (const record of listing.toString("utf8").split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, , oid, size] = record.slice(0, tab).split(/ +/);
    const rel = record.slice(tab + 1);
    const kind: EntryKind = mode === "120000" ? "symlink" : mode === "100644" || mode === "100755" ? "file" : "other";
    entries.set(rel, { kind, size: size === undefined || size === "-" ? 0 : Number(size), ...(kind === "other" ? {} : { oid: oid as string }) });
    // Register the path in each folder above it.
    let child = rel;
    for (;;) {
      const cut = child.lastIndexOf("/");
      const dir = cut < 0 ? "" : child.slice(0, cut);
      const names = children.get(dir);
      if (names) {
        names.add(child.slice(cut + 1));
        break;
      }
      children.set(dir, new Set([child.slice(cut + 1)]));
      child = dir;
    }
  }
  return { entries, children };
}

interface Request {
  oid: string;
  keep: number;
  resolve(b: Buffer): void;
  reject(e: Error): void;
}

/**
 * One `git cat-file --batch` process answering blob reads in order. The process and its pipes
 * are unreferenced while nothing is pending, so a caller that forgets `close()` does not keep
 * Node alive (git then sees its stdin close and exits).
 */
class BlobReader {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly queue: Request[] = [];
  private header: Buffer[] = [];
  /** Bytes of the current body still to come (then its newline), or -1 while reading a header line. */
  private remaining = -1;
  private body: Buffer[] = [];
  private kept = 0;

  constructor(private readonly cwd: string) {}

  read(oid: string, keep: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = this.process();
      this.queue.push({ oid, keep, resolve, reject });
      if (this.queue.length === 1) this.setRef(true);
      child.stdin.write(`${oid}\n`);
    });
  }

  close(): void {
    this.child?.stdin.end();
    this.child = undefined;
  }

  private process(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn("git", ["cat-file", "--batch"], { cwd: this.cwd, stdio: ["pipe", "pipe", "pipe"], windowsHide: true });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString("utf8");
    });
    // A closed reader's child may still speak; once another child serves the queue, it is ignored.
    const current = () => this.child === child || this.child === undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      if (current()) this.consume(chunk);
    });
    const fail = (e: Error) => {
      if (!current()) return;
      if (this.child === child) this.child = undefined;
      this.header = [];
      this.body = [];
      this.remaining = -1;
      for (const r of this.queue.splice(0)) r.reject(e);
    };
    child.on("error", (e) => fail(new GitError(gitMessage(e, stderr))));
    child.on("close", (code) => {
      if (this.queue.length > 0) fail(new GitError(stderr.trim() || `git cat-file exited with status ${code}`));
    });
    this.child = child;
    this.setRef(false);
    return child;
  }

  private setRef(on: boolean): void {
    const c = this.child;
    if (!c) return;
    for (const handle of [c, c.stdin, c.stdout, c.stderr] as unknown as { ref(): void; unref(): void }[]) {
      if (on) handle.ref();
      else handle.unref();
    }
  }

  private consume(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining < 0) {
        const nl = chunk.indexOf(10, at);
        if (nl < 0) {
          this.header.push(chunk.subarray(at));
          return;
        }
        this.header.push(chunk.subarray(at, nl));
        at = nl + 1;
        const line = Buffer.concat(this.header).toString("utf8");
        this.header = [];
        const size = /^\S+ \S+ (\d+)$/.exec(line);
        if (!size) {
          this.finish(undefined, new GitError(`git cat-file: ${line}`));
          continue;
        }
        this.remaining = Number(size[1]);
        this.kept = 0;
        continue;
      }
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        const wanted = (this.queue[0]?.keep ?? 0) - this.kept;
        if (wanted > 0) {
          const piece = chunk.subarray(at, at + Math.min(take, wanted));
          this.body.push(Buffer.from(piece));
          this.kept += piece.length;
        }
        this.remaining -= take;
        at += take;
        continue;
      }
      // The newline after a body.
      at++;
      this.remaining = -1;
      const body = Buffer.concat(this.body);
      this.body = [];
      this.finish(body);
    }
  }

  private finish(body: Buffer | undefined, e?: Error): void {
    const r = this.queue.shift();
    if (this.queue.length === 0) this.setRef(false);
    if (!r) return;
    if (body) r.resolve(body);
    else r.reject(e as Error);
  }
}
