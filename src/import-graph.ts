/**
 * The config given and every config it imports, as one graph of blocks for the merge stage: load
 * the imports, check each imported file against the file schema (its errors located in it), read
 * each one's structure, and resolve every `extends`. A problem with an import names the block that
 * stands for that import (its defaults, which every chain through it starts with), so the compiler
 * can fail exactly the environments that use it.
 */
import type { Diagnostic } from "./diagnostics/index.js";
import type { FileSource } from "./load/file-source.js";
import { loadImports, type ConfigUnit } from "./load/imports.js";
import type { LoadedFile } from "./load/load-config.js";
import { readStructure, type ConfigStructure } from "./merge/environments.js";
import { blockGraph } from "./merge/graph.js";
import type { GraphNode } from "./merge/layers.js";
import { validateNode } from "./validate/validate.js";

export interface ImportGraph {
  nodes: Map<string, GraphNode>;
  /** Every loaded config, the one given first; a node belongs to the unit whose prefix starts its name. */
  units: ConfigUnit[];
  /** Problems with imports, each with the block its users are made of. */
  problems: { diagnostic: Diagnostic; block: string }[];
  /** Imported files as shown → their text, for code frames; `files` lists them for watch mode. */
  sources: Map<string, string>;
  files: string[];
}

export async function importGraph(file: LoadedFile, written: ConfigStructure, source: FileSource, cwd: string): Promise<ImportGraph> {
  const loaded = await loadImports(file, source, cwd);
  const problems = loaded.problems.map(({ diagnostic, unit }) => ({ diagnostic, block: unit.prefix }));
  const sources = new Map(loaded.sources);
  const files: string[] = [...loaded.brokenFiles];
  const structures = new Map<ConfigUnit, ConfigStructure | undefined>();
  for (const unit of loaded.units) {
    if (!unit.file) continue;
    if (unit.prefix === "") {
      structures.set(unit, written);
      continue;
    }
    sources.set(unit.file.file, unit.file.source.text);
    files.push(unit.file.absolute);
    // An imported config is taken whole or not at all: its schema errors fail every environment that uses it.
    const errors = validateNode("file", unit.file.root);
    for (const diagnostic of errors) problems.push({ diagnostic, block: unit.prefix });
    structures.set(unit, errors.length > 0 ? undefined : readStructure(unit.file.root));
  }
  const graph = blockGraph(loaded.units, (unit) => structures.get(unit));
  for (const { diagnostic, unit } of graph.problems) problems.push({ diagnostic, block: unit.prefix });
  return { nodes: graph.nodes, units: loaded.units, problems, sources, files };
}
