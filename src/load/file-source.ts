/**
 * Where the pipeline reads files from: the working tree, a git revision (src/load/git-source.ts)
 * or memory. Every read of the load stage goes through one of these, so the same checks (project
 * root, regular files, size caps) hold on either side of a change and in tests.
 */
import { constants } from "node:fs";
import { lstat, open, readdir, readlink } from "node:fs/promises";
import path from "node:path";

export type EntryKind = "file" | "directory" | "symlink" | "other";

export interface SourceEntry {
  kind: EntryKind;
  size: number;
}

/** Paths are absolute. */
export interface FileSource {
  /** Shown in messages: "working tree", "git revision main", ... */
  readonly label: string;
  /** When set, the project root of every config read through this source (a revision's work-tree top). */
  readonly root?: string;
  /** The entry at this path without following a final symlink; undefined when absent. */
  lstat(absolute: string): Promise<SourceEntry | undefined>;
  /** A symlink's target as stored (may be relative). */
  readlink(absolute: string): Promise<string>;
  /** A regular file's bytes; reads at most maxBytes + 1 bytes, so callers can tell it is over the cap. */
  readFile(absolute: string, maxBytes: number): Promise<Buffer>;
  /** Names in a directory, sorted. */
  readdir(absolute: string): Promise<string[]>;
}

function kindOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  return s.isSymbolicLink() ? "symlink" : s.isFile() ? "file" : s.isDirectory() ? "directory" : "other";
}

/** The files on disk. */
export const workingTree: FileSource = {
  label: "working tree",
  async lstat(absolute) {
    // No entry can have such a name (and Node would throw a TypeError for it).
    if (absolute.includes("\0")) return undefined;
    try {
      const s = await lstat(absolute);
      return { kind: kindOf(s), size: s.size };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw e;
    }
  },
  readlink: (absolute) => readlink(absolute),
  async readFile(absolute, maxBytes) {
    // O_NONBLOCK: should the path have become a FIFO since it was checked, open does not wait for a writer.
    const handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw Object.assign(new Error(`${absolute} is not a regular file`), { code: "ENOTREG" });
      // The size said by stat is a hint (files in /proc say 0): read until EOF or one byte past the cap.
      const cap = maxBytes + 1;
      let buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
      let filled = 0;
      while (filled < cap) {
        if (filled === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(Math.min(buffer.length, cap - buffer.length))]);
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  },
  async readdir(absolute) {
    return (await readdir(absolute)).sort();
  },
};

type MemoryEntry = string | Uint8Array | { symlink: string };

/** Files held in memory (path → text, bytes or `{symlink: target}`), for tests and the library. Directories are implied. */
export function memorySource(files: Record<string, MemoryEntry>, options: { label?: string; root?: string } = {}): FileSource {
  const entries = new Map<string, MemoryEntry>();
  const dirs = new Set<string>();
  for (const [name, entry] of Object.entries(files)) {
    const absolute = path.resolve("/", name);
    entries.set(absolute, entry);
    for (let d = path.dirname(absolute); !dirs.has(d); d = path.dirname(d)) {
      dirs.add(d);
      if (d === path.dirname(d)) break;
    }
  }
  const bytes = (e: MemoryEntry): Uint8Array => (typeof e === "string" ? Buffer.from(e, "utf8") : "symlink" in e ? new Uint8Array() : e);
  const missing = (absolute: string) => Object.assign(new Error(`no such file: ${absolute}`), { code: "ENOENT" });
  return {
    label: options.label ?? "memory",
    ...(options.root !== undefined ? { root: options.root } : {}),
    async lstat(absolute) {
      const e = entries.get(absolute);
      if (e !== undefined)
        return typeof e === "object" && "symlink" in e ? { kind: "symlink", size: e.symlink.length } : { kind: "file", size: bytes(e).length };
      return dirs.has(absolute) ? { kind: "directory", size: 0 } : undefined;
    },
    async readlink(absolute) {
      const e = entries.get(absolute);
      if (typeof e === "object" && "symlink" in e) return e.symlink;
      throw missing(absolute);
    },
    async readFile(absolute, maxBytes) {
      const e = entries.get(absolute);
      if (e === undefined || (typeof e === "object" && "symlink" in e)) throw missing(absolute);
      return Buffer.from(bytes(e).subarray(0, maxBytes + 1));
    },
    async readdir(absolute) {
      const prefix = absolute.endsWith("/") ? absolute : absolute + "/";
      const names = new Set<string>();
      for (const p of [...entries.keys(), ...dirs]) {
        if (p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split("/")[0] as string);
      }
      return [...names].sort();
    },
  };
}

/** `base` with some files' texts replaced (absolute path → text): to compile an edit before writing it. */
export function overlaySource(base: FileSource, texts: ReadonlyMap<string, string>): FileSource {
  return {
    label: base.label,
    ...(base.root !== undefined ? { root: base.root } : {}),
    async lstat(absolute) {
      const text = texts.get(absolute);
      return text !== undefined ? { kind: "file", size: Buffer.byteLength(text) } : base.lstat(absolute);
    },
    readlink: (absolute) => base.readlink(absolute),
    async readFile(absolute, maxBytes) {
      const text = texts.get(absolute);
      return text !== undefined ? Buffer.from(text, "utf8").subarray(0, maxBytes + 1) : base.readFile(absolute, maxBytes);
    },
    readdir: (absolute) => base.readdir(absolute),
  };
}
