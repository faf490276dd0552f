/**
 * Expands the config's `tests:` entries: `*` and `?` within one path segment, `**` for any number
 * of directories (a final `**`: every file below), `{a,b}` alternatives. `**` does not enter hidden directories or node_modules,
 * nor follow symbolic links to directories (so a link cycle cannot loop). A pattern without
 * wildcards names one file, found or not (its reader reports a missing file). With `within`, a
 * folder it would list that leads out of that folder (through a symlink) is not listed but returned
 * itself, so that reading it reports it outside the project without telling what is out there.
 */
import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { workingTree } from "../load/file-source.js";
import { realPath } from "../load/project-files.js";
import { isSkippedFolder } from "../load/skipped-folders.js";

const MAGIC = /[*?{]/;

/** Absolute paths matching `pattern` (relative to `base`), sorted, without duplicates. */
export async function expandGlob(pattern: string, base: string, within?: string): Promise<string[]> {
  if (!MAGIC.test(pattern)) return [path.resolve(base, pattern)];
  const absolute = path.resolve(base, pattern).split(path.sep).join("/");
  const root = path.parse(absolute).root;
  const segments = absolute.slice(root.length).split("/");
  const out = new Set<string>();
  // Directories to look in, each with the index of the segment still to match; `listed` when found
  // by listing its parent, so a real folder below one already checked, never a symlink.
  const todo: { dir: string; i: number; listed?: boolean }[] = [{ dir: root, i: 0 }];
  while (todo.length > 0) {
    const { dir, i, listed } = todo.pop() as (typeof todo)[number];
    const seg = segments[i] as string;
    const last = i === segments.length - 1;
    if (!MAGIC.test(seg)) {
      const next = path.join(dir, seg);
      if (last) out.add(next);
      else todo.push({ dir: next, i: i + 1 });
      continue;
    }
    if (within !== undefined && !listed) {
      const resolved = await realPath(workingTree, dir, within);
      if (!resolved.ok && resolved.why === "outside") {
        out.add(dir);
        continue;
      }
    }
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    if (seg === "**") {
      // Zero directories: the rest of the pattern here; one or more: the same `**` one level down.
      // A final `**` is the rest of the pattern too: every file at this level (as `**/*`).
      if (!last) todo.push({ dir, i: i + 1, listed: true });
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!isSkippedFolder(e.name)) todo.push({ dir: path.join(dir, e.name), i, listed: true });
        } else if (last && !e.name.startsWith(".") && (e.isFile() || e.isSymbolicLink())) out.add(path.join(dir, e.name));
      }
      continue;
    }
    const re = segmentRegex(seg);
    for (const e of entries) {
      if (!re.test(e.name) || (e.name.startsWith(".") && !seg.startsWith("."))) continue;
      const next = path.join(dir, e.name);
      if (last) {
        if (e.isFile() || e.isSymbolicLink()) out.add(next);
      } else if (e.isDirectory()) todo.push({ dir: next, i: i + 1, listed: true });
    }
  }
  return [...out].sort();
}

function segmentRegex(seg: string): RegExp {
  let re = "";
  let depth = 0;
  for (const c of seg) {
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "{") {
      depth++;
      re += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (c === "," && depth > 0) re += "|";
    else re += c.replace(/[\\^$.+()[\]{}|/]/g, "\\$&");
  }
  return new RegExp(`^${re}${")".repeat(depth)}$`, "u");
}
