export type EntryKind = "file" | "directory" | "symlink" | "other";
export interface SourceEntry { kind: EntryKind; size: number; }
/** Where the pipeline reads files from: the working tree, a git revision, or memory. Paths are absolute. */
export interface FileSource {
  /** Shown in messages: "working tree", "git revision main", ... */
  readonly label: string;
  /** The entry at this path without following a final symlink; undefined when absent. */
  lstat(absolute: string): Promise<SourceEntry | undefined>;
  /** A symlink's target as stored (may be relative). */
  readlink(absolute: string): Promise<string>;
  /** A regular file's bytes; reads at most maxBytes + 1 bytes, so callers can tell it is over the cap. */
  readFile(absolute: string, maxBytes: number): Promise<Buffer>;
  /** Names in a directory, sorted. */
  readdir(absolute: string): Promise<string[]>;
}
