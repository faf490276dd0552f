import { readFile } from "node:fs/promises";
import { error, type Diagnostic } from "../diagnostics/index.js";

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads a user's text file, refusing missing, binary and non-UTF-8 files with a located message. */
export async function readText(file: string, what: string, shown: string = file): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message);
    return { ok: false, diagnostic: error("read-failed", `cannot read ${what} ${shown}: ${why}`) };
  }
  if (bytes.includes(0)) return { ok: false, diagnostic: error("binary-file", `${what} ${shown} is a binary file, not text`, { file: shown, line: 0, column: 0 }) };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, diagnostic: error("binary-file", `${what} ${shown} is not valid UTF-8 text`, { file: shown, line: 0, column: 0 }) };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}
