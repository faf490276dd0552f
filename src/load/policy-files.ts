/**
 * `codes.file` / `codes.files` become `codes.code` within their own layer, before layers merge,
 * so a later layer can `$append` to code that an earlier one read from a file. Every character
 * keeps its position in the policy file, for errors found in the code later.
 */
import { error, type Diagnostic } from "../diagnostics/index.js";
import type { FileSource } from "./file-source.js";
import { shownPath } from "./load-config.js";
import { setIn, type LEntry, type LMap, type LNode, type LScalar, type TextSegment } from "./lnode.js";
import {
  readProjectFile,
  realDir,
  refusalDiagnostic,
  writtenPath,
  writtenTarget,
  type FileKind,
  type ReadRefusal,
  type WrittenTarget,
} from "./project-files.js";
import { Source, locate, type Span } from "./source.js";

type Read = { ok: true; source: Source } | { ok: false; refusal: ReadRefusal };

/** Reads the files a config names (policy files, test files), each once, inside the project root. */
export interface ProjectReader {
  /** Every file read, as shown in messages, with its text (for code frames). */
  readonly sources: Map<string, string>;
  /** Absolute paths asked for (read or not), for watch mode. */
  readonly files: Set<string>;
  /** Where policy file `written`, relative to the config folder `dir`, points (refused if it leaves the project as written). */
  target(written: string, dir: string): Promise<WrittenTarget>;
  read(absolute: string, shown: string, kind?: FileKind): Promise<Read>;
}

export function projectReader(fileSource: FileSource, root: string): ProjectReader {
  const cache = new Map<string, Promise<Read>>();
  const realDirs = new Map<string, Promise<string>>();
  const sources = new Map<string, string>();
  const files = new Set<string>();
  return {
    sources,
    files,
    // Every block of a config names its files from the same folder or few: each is resolved once.
    async target(written, dir) {
      let real = realDirs.get(dir);
      if (!real) realDirs.set(dir, (real = realDir(fileSource, dir)));
      return writtenTarget(fileSource, written, { dir: await real, named: "the config file", real: true }, { kind: "policy", root });
    },
    read(absolute, shown, kind = "policy") {
      let p = cache.get(absolute);
      if (!p) {
        files.add(absolute);
        p = readProjectFile(fileSource, absolute, { kind, root }).then((r) => {
          if (!r.ok) return r;
          sources.set(shown, r.text);
          return { ok: true as const, source: new Source(shown, r.text) };
        });
        cache.set(absolute, p);
      }
      return p;
    },
  };
}

/** Resolves `policy.codes.file(s)` of one layer block (a mapping with a `policy` key); returns the new block. */
export async function resolvePolicyFiles(block: LMap, configDir: string, cwd: string, reader: ProjectReader, diagnostics: Diagnostic[]): Promise<LMap> {
  const policy = block.entries.get("policy")?.value;
  if (policy?.kind !== "map") return block;
  // `policy: {$replace: {codes: ...}}` (as `promote` writes) reads its files the same way.
  const replaced = policy.entries.size === 1 ? policy.entries.get("$replace")?.value : undefined;
  const at = replaced?.kind === "map" ? ["policy", "$replace", "codes"] : ["policy", "codes"];
  const codes = (replaced?.kind === "map" ? replaced : policy).entries.get("codes")?.value;
  if (codes?.kind !== "map") return block;
  const file = codes.entries.get("file");
  const files = codes.entries.get("files");
  if (!file && !files) return block;

  const given = [codes.entries.get("code"), file, files].filter((e): e is LEntry => e !== undefined);
  if (given.length > 1) {
    const second = given[1] as LEntry;
    diagnostics.push(
      error(
        "codes-conflict",
        `policy.codes takes only one of \`code\`, \`file\`, \`files\` in a layer; found ${given.map((e) => e.key).join(" and ")}`,
        locate(second.keySpan),
      ),
    );
    return block;
  }
  const paths: LNode[] = file ? [file.value] : files?.value.kind === "seq" ? files.value.items : [];
  const parts: { source: Source; span: Span }[] = [];
  for (const p of paths) {
    if (p.kind !== "scalar" || typeof p.value !== "string") continue;
    const target = await reader.target(p.value, configDir);
    const r = target.ok ? await reader.read(target.absolute, shownPath(target.absolute, cwd)) : target;
    if (!r.ok) {
      // At the path in the config, naming it as written there.
      diagnostics.push(refusalDiagnostic(r.refusal, writtenPath(p.value), locate(p.span)));
      continue;
    }
    parts.push({ source: r.source, span: p.span });
  }
  if (parts.length !== paths.length) return block;

  const source = (file ?? files) as LEntry;
  const newCodes = new Map(codes.entries);
  newCodes.delete("file");
  newCodes.delete("files");
  newCodes.set("code", { key: "code", keySpan: source.keySpan, value: joinFiles(parts, source) });
  return setIn(block, at, { ...codes, entries: newCodes });
}

/** The files' texts joined with "\n", as read; each part maps back into its file. */
function joinFiles(parts: { source: Source; span: Span }[], entry: LEntry): LScalar {
  const segments: TextSegment[] = [];
  let text = "";
  parts.forEach(({ source }, i) => {
    if (i > 0) text += "\n";
    const start = text.length;
    text += source.text;
    segments.push({ start, end: text.length, locate: (offset) => ({ source, start: offset, end: offset + 1 }) });
  });
  return { kind: "scalar", value: text, float: false, span: entry.value.span, segments };
}
