// Rewrites one existing file in place, atomically: a temp file beside it, then a rename. The
// file keeps its mode; a symlink is written through (the link stays a link); the temp file is
// removed on failure.
import { randomBytes } from "node:crypto";
import { chmod, realpath, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

export async function replaceFile(file: string, content: string): Promise<void> {
  const target = await realpath(file);
  const mode = (await stat(target)).mode & 0o7777;
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, content, { flag: "wx", mode });
    // writeFile's mode passes through the umask; the file's own mode is what it had.
    await chmod(temp, mode);
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}
