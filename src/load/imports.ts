/**
 * `imports:` — other configs this one builds on, each read once: an npm package (found like a
 * dependency, read from the working tree, its folder its project root) or a relative path to a
 * config of the same project (read from the same source as the importer, so `review --base` reads
 * it at the revision). Imported configs are data: a JS or TS config is never imported, since
 * importing must not run a package's code. A cycle, a missing package or an unreadable file is an
 * error at the import that names it; the environments that use that import fail with it.
 */
import path from "node:path";
import { error, type Diagnostic } from "../diagnostics/index.js";
import { workingTree, type FileSource } from "./file-source.js";
import { loadDataConfig, shownPath, type LoadedFile } from "./load-config.js";
import { findPackage, packageConfigFile } from "./packages.js";
import { realPath, refusalDiagnostic, writtenPath, writtenTarget } from "./project-files.js";
import { SCRIPT_EXTENSIONS } from "./script-config.js";
import { locate, type Span } from "./source.js";

export interface ConfigUnit {
  /**
   * Its blocks are named PREFIX + environment, and PREFIX alone is its defaults: "" for the config
   * given, "org/" for the one it imports as `org`, "org/base/" for what that one imports as `base`.
   */
  prefix: string;
  /** Absent when the import failed (reported): the environments that use it fail with it. */
  file?: LoadedFile;
  /** Where its own imports by path are read from. */
  source: FileSource;
  /** alias → the config it imports, in the order written. */
  imports: Map<string, { unit: ConfigUnit; keySpan: Span }>;
}

/** A problem with an import, and the unit whose users it fails. */
export interface ImportProblem {
  diagnostic: Diagnostic;
  unit: ConfigUnit;
}

export interface LoadedImports {
  /** The config given first, then each imported config once, depth-first in the order written. */
  units: ConfigUnit[];
  problems: ImportProblem[];
  /** Texts of imported files that failed to parse, for code frames. */
  sources: Map<string, string>;
  /** Imported files that were found but failed to load: inputs all the same (watch mode waits for their fix). */
  brokenFiles: string[];
}

interface ImportEntry {
  alias: string;
  spec: string;
  keySpan: Span;
  valueSpan: Span;
}

/** The `imports` entries whose values are strings (the file schema reports the others). */
function importsOf(file: LoadedFile): ImportEntry[] {
  const imports = file.root.entries.get("imports")?.value;
  if (imports?.kind !== "map") return [];
  return [...imports.entries.values()].flatMap((e) =>
    e.value.kind === "scalar" && typeof e.value.value === "string" ? [{ alias: e.key, spec: e.value.value, keySpan: e.keySpan, valueSpan: e.value.span }] : [],
  );
}

const isPathSpec = (spec: string) => spec.startsWith("./") || spec.startsWith("../");

/** Where an import's config is, and what it may read: the importer's project for a path, the package folder for a package. */
type Target = { ok: true; absolute: string; projectRoot: string; source: FileSource } | { ok: false; diagnostic: Diagnostic };

async function locateImport(entry: ImportEntry, importer: LoadedFile, source: FileSource, cwd: string): Promise<Target> {
  const dir = path.dirname(importer.absolute);
  const at = locate(entry.valueSpan);
  if (isPathSpec(entry.spec)) {
    const target = await writtenTarget(source, entry.spec, { dir, named: "the config file" }, { kind: "config", root: importer.projectRoot });
    if (!target.ok) return { ok: false, diagnostic: refusalDiagnostic(target.refusal, writtenPath(entry.spec), at) };
    return { ok: true, absolute: target.absolute, projectRoot: importer.projectRoot, source };
  }
  const packageDir = await findPackage(entry.spec, dir, workingTree);
  if (packageDir === undefined) {
    const from = path.relative(cwd, dir) === "" ? "." : shownPath(dir, cwd);
    const message = `cannot find package "${entry.spec}" from ${from} (looked in node_modules there and in every folder above); install it, e.g. npm install ${entry.spec}`;
    return { ok: false, diagnostic: error("package-not-found", message, at) };
  }
  const config = await packageConfigFile(`${entry.spec} (${shownPath(packageDir, cwd)})`, packageDir, workingTree);
  if (!config.ok) return { ok: false, diagnostic: error("package-no-config", config.message, at) };
  return { ok: true, absolute: config.file, projectRoot: packageDir, source: workingTree };
}

export async function loadImports(root: LoadedFile, source: FileSource, cwd: string): Promise<LoadedImports> {
  const rootUnit: ConfigUnit = { prefix: "", file: root, source, imports: new Map() };
  const result: LoadedImports = { units: [rootUnit], problems: [], sources: new Map(), brokenFiles: [] };
  const rootReal = await realPath(source, root.absolute);
  const byFile = new Map<string, ConfigUnit>([[rootReal.ok ? rootReal.real : root.absolute, rootUnit]]);
  // Depth-first with an explicit stack: an import back into the chain being read is a cycle.
  const stack: { unit: ConfigUnit; file: LoadedFile; entries: ImportEntry[]; next: number }[] = [
    { unit: rootUnit, file: root, entries: importsOf(root), next: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    const entry = top.entries[top.next++];
    if (!entry) {
      stack.pop();
      continue;
    }
    const prefix = `${top.unit.prefix}${entry.alias}/`;
    const fail = (...diagnostics: Diagnostic[]) => {
      const unit: ConfigUnit = { prefix, source: top.unit.source, imports: new Map() };
      top.unit.imports.set(entry.alias, { unit, keySpan: entry.keySpan });
      for (const diagnostic of diagnostics) result.problems.push({ diagnostic, unit });
    };
    const target = await locateImport(entry, top.file, top.unit.source, cwd);
    if (!target.ok) {
      fail(target.diagnostic);
      continue;
    }
    // Not followed out of the project: its reader reports that, without telling what is out there.
    const real = await realPath(target.source, target.absolute, target.projectRoot);
    const key = real.ok ? real.real : target.absolute;
    const seen = byFile.get(key);
    const chain = stack.findIndex((s) => s.unit === seen);
    if (seen && chain >= 0) {
      const files = [...stack.slice(chain).map((s) => s.file.file), stack[chain]?.file.file];
      fail(error("import-cycle", `imports form a cycle: ${files.join(" -> ")}`, locate(entry.valueSpan)));
      continue;
    }
    if (seen) {
      top.unit.imports.set(entry.alias, { unit: seen, keySpan: entry.keySpan });
      continue;
    }
    const file = shownPath(key, cwd);
    if (SCRIPT_EXTENSIONS.has(path.extname(key).toLowerCase())) {
      fail(
        error(
          "import-not-data",
          `cannot import ${file}: it is a JS or TS config, and importing never runs code; ship the config as YAML or JSON`,
          locate(entry.valueSpan),
        ),
      );
      continue;
    }
    const loaded = await loadDataConfig(
      target.source,
      { file, absolute: key, projectRoot: target.projectRoot },
      { importedAt: { root: target.projectRoot, location: locate(entry.valueSpan), name: isPathSpec(entry.spec) ? writtenPath(entry.spec) : file } },
    );
    if (!loaded.ok) {
      if (loaded.source) {
        result.sources.set(loaded.source.file, loaded.source.text);
        result.brokenFiles.push(key);
      }
      fail(...loaded.diagnostics);
      continue;
    }
    const unit: ConfigUnit = { prefix, file: loaded.loaded, source: target.source, imports: new Map() };
    byFile.set(key, unit);
    top.unit.imports.set(entry.alias, { unit, keySpan: entry.keySpan });
    result.units.push(unit);
    stack.push({ unit, file: loaded.loaded, entries: importsOf(loaded.loaded), next: 0 });
  }
  return result;
}
