// Orphans: `.env.<name>` files in a build's output folder that this config's builds wrote for an
// environment the config no longer defines (a `.env.dev` left after renaming `dev`). A file is one only
// when all of these hold, so nothing a person wrote or another config generated is ever touched:
//   - named `.env.<name>`, and <name> is not an environment of the config (compared case-insensitively,
//     as macOS and Windows would), selected by -e or not;
//   - a regular file (not a link), not an input of the build;
//   - its first line is the banner of -f env for environment <name> generated from this same config file.
import { lstatSync, readdirSync } from "node:fs";
import path from "node:path";
import { isEnvFileOf } from "./env.js";
import { relativeForBanner } from "./paths.js";
import { readRegular } from "./target.js";

export interface OrphanSweep {
  /** The folder of the `.env.<environment>` files, as given to -o. */
  dir: string;
  /** Every environment the config defines (not only the selected ones): their files are never orphans. */
  keep: readonly string[];
  /** The config file as the build shows it, to recognise banners. */
  configPath: string;
}

const PREFIX = ".env.";

/** Named as `-f env -o DIR` names its files: `.env.<environment>`. */
export function isEnvFileName(name: string): boolean {
  return name.startsWith(PREFIX) && name.length > PREFIX.length;
}

/** Orphaned files of `sweep.dir`, as paths joined onto `sweep.dir`, in name order. */
export function findOrphans(sweep: OrphanSweep, cwd: string, inputIds: ReadonlySet<string>): string[] {
  const dir = path.resolve(cwd, sweep.dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // not created yet, or unreadable: then writing into it fails with its own message
  }
  const keep = new Set(sweep.keep.map((n) => n.toLowerCase()));
  const orphans: string[] = [];
  for (const name of names.sort()) {
    const env = name.slice(PREFIX.length);
    if (!isEnvFileName(name) || keep.has(env.toLowerCase())) continue;
    const shown = path.join(sweep.dir, name);
    const abs = path.join(dir, name);
    try {
      const st = lstatSync(abs);
      if (!st.isFile() || inputIds.has(`${st.dev}:${st.ino}`)) continue;
      const read = readRegular(abs, st, 0); // the banner is in the first line
      if (read !== "changed" && isEnvFileOf(read.bytes.toString("utf8"), relativeForBanner(shown, sweep.configPath, cwd), env)) orphans.push(shown);
    } catch {
      // Gone or unreadable: not ours to judge.
    }
  }
  return orphans;
}
