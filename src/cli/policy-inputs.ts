/**
 * The policy files that `policy check` and `policy fmt` are given: FILE arguments (resolved against
 * the working directory of the Io), DIRECTORY arguments (every `.sqrt` and `.cedar` file below,
 * sorted, skipping `node_modules` and dot-folders) and `-` (stdin). Every file is read through
 * readProjectFile, so a FIFO, a device, a directory or an oversized file is refused at once, with
 * its own code. Files named on the command line need not be inside a project root.
 */
import path from "node:path";
import { error, type Diagnostic } from "../diagnostics/index.js";
import { memorySource, workingTree, type EntryKind, type FileSource } from "../load/file-source.js";
import { FILE_KINDS, readProjectFile, realPath, refusalDiagnostic } from "../load/project-files.js";
import { isSkippedFolder } from "../load/skipped-folders.js";
import type { Io } from "./io.js";

export type PolicyLanguage = "sqrt" | "cedar";

/** The argument that means standard input. */
export const STDIN_ARG = "-";
/** Stdin's name in messages, unless `--stdin-filepath` gives one. */
const STDIN_NAME = "<stdin>";

type PolicyInput =
  | {
      ok: true;
      /** As shown in messages: the argument as written, or a path below a directory argument. */
      name: string;
      language: PolicyLanguage;
      /** Without its byte-order mark. */
      text: string;
      /** The file began with a UTF-8 byte-order mark (`fmt` writes it back). */
      bom: boolean;
    }
  | { ok: false; name: string; diagnostic: Diagnostic };

interface InputOptions {
  /** Stdin's name in messages; its extension gives its language (default `<stdin>`, SQRT). */
  stdinFilepath?: string;
}

/** `.cedar` files are Cedar; every other file is SQRT. */
function languageOf(file: string): PolicyLanguage {
  return file.toLowerCase().endsWith(".cedar") ? "cedar" : "sqrt";
}

const isPolicyFile = (name: string): boolean => /\.(sqrt|cedar)$/i.test(name);

/** Where a refusal about `name` is placed: the file itself, no line (github annotations name it). */
const at = (name: string) => ({ file: name, line: 0, column: 0 });

async function readInput(source: FileSource, absolute: string, name: string): Promise<PolicyInput> {
  const read = await readProjectFile(source, absolute, { kind: "policy" });
  if (!read.ok) return { ok: false, name, diagnostic: refusalDiagnostic(read.refusal, name, at(name)) };
  return { ok: true, name, language: languageOf(name), text: read.text, bom: read.bom };
}

/** Stdin, read up to the policy-file cap and then checked like a file (size, NUL bytes, UTF-8). */
async function stdinInput(io: Io, name: string): Promise<PolicyInput> {
  const bytes = (await io.readStdin?.(FILE_KINDS.policy.maxBytes)) ?? new Uint8Array();
  return readInput(memorySource({ "/stdin": bytes }), "/stdin", name);
}

type Found = { name: string; absolute: string } | { name: string; diagnostic: Diagnostic };

/** The policy files below `dir` (a real path), named below `shown`, and the folders that cannot be listed. */
async function policyFilesBelow(dir: string, shown: string, found: Found[]): Promise<void> {
  const entries: { entryName: string; absolute: string; kind: EntryKind | undefined }[] = [];
  try {
    for (const entryName of await workingTree.readdir(dir)) {
      const absolute = path.join(dir, entryName);
      entries.push({ entryName, absolute, kind: (await workingTree.lstat(absolute))?.kind });
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EACCES" ? "permission denied" : (code ?? (e as Error).message);
    found.push({ name: shown, diagnostic: error("read-failed", `cannot read directory ${shown}: ${why}`, at(shown)) });
    return;
  }
  for (const { entryName, absolute, kind } of entries) {
    const name = path.join(shown, entryName);
    // Linked folders are not entered (no cycles); linked files are read, and refused if they are not regular.
    if (kind === "directory") {
      if (!isSkippedFolder(entryName)) await policyFilesBelow(absolute, name, found);
    } else if (kind !== undefined && isPolicyFile(entryName)) found.push({ name, absolute });
  }
}

async function directoryInputs(real: string, shown: string): Promise<PolicyInput[]> {
  const found: Found[] = [];
  await policyFilesBelow(real, shown, found);
  if (found.length === 0) {
    return [
      {
        ok: false,
        name: shown,
        diagnostic: error("no-policy-files", `directory ${shown} holds no .sqrt or .cedar files (node_modules and dot-folders are skipped)`, at(shown)),
      },
    ];
  }
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const inputs: PolicyInput[] = [];
  // One file at a time: a large tree must not open thousands of files at once.
  for (const f of found) inputs.push("diagnostic" in f ? { ok: false, ...f } : await readInput(workingTree, f.absolute, f.name));
  return inputs;
}

/** Every input, in argument order; a refused one carries its diagnostic. */
export async function readPolicyInputs(args: readonly string[], io: Io, options: InputOptions = {}): Promise<PolicyInput[]> {
  const inputs: PolicyInput[] = [];
  for (const arg of args) {
    if (arg === STDIN_ARG) {
      inputs.push(await stdinInput(io, options.stdinFilepath ?? STDIN_NAME));
      continue;
    }
    const absolute = path.resolve(io.cwd, arg);
    const resolved = await realPath(workingTree, absolute);
    const entry = resolved.ok ? await workingTree.lstat(resolved.real) : undefined;
    if (resolved.ok && entry?.kind === "directory") inputs.push(...(await directoryInputs(resolved.real, arg)));
    else inputs.push(await readInput(workingTree, absolute, arg));
  }
  return inputs;
}
