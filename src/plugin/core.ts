/**
 * The bundler plugins: one implementation, adapted to vite, rollup, esbuild and webpack by unplugin.
 * It serves the virtual module `virtual:sequrity-headers`: the `build -f ts` module as JavaScript
 * (bundlers such as rollup and webpack load no TypeScript; the types ship in virtual.d.ts), compiled
 * from the config at every load, so no generated file has to be kept fresh.
 */
import path from "node:path";
import { createUnplugin } from "unplugin";
import type { HotUpdateOptions } from "vite";
import { compile, type CompileResult } from "../compile.js";
import { formatDiagnostics, hasErrors } from "../diagnostics/index.js";
import { relativeToCwd } from "../emit/paths.js";
import { renderTsModule } from "../emit/ts.js";

const VIRTUAL_MODULE = "virtual:sequrity-headers";
// The "\0" prefix marks an id that is no file on disk, so other plugins leave it alone (rollup's convention).
const RESOLVED_ID = `\0${VIRTUAL_MODULE}`;
const PLUGIN_NAME = "sequrity-config";

export interface SequrityPluginOptions {
  /** The config file, relative to the bundler's root (Vite's `root`, esbuild's `absWorkingDir`, else the working directory); discovered from there when absent. */
  config?: string;
  /** Only these environments (like `build -e`); all of them when absent. */
  environments?: string[];
}

/** The source of the virtual module, or the tool's messages (`FILE:LINE:COL: error: ...`, with code frames) when the config is broken. */
export async function virtualModule(
  options: SequrityPluginOptions,
  root: string,
): Promise<{ result: CompileResult; code?: string; errors?: string; warnings: string[] }> {
  const result = await compile({
    cwd: root,
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    environments: options.environments ?? [],
    inspect: false,
  });
  const format = (severity: "error" | "warning") =>
    formatDiagnostics(
      result.diagnostics.filter((d) => d.severity === severity),
      { sources: result.sources },
    );
  const warnings = result.diagnostics.some((d) => d.severity === "warning") ? [format("warning")] : [];
  if (!result.compiled || hasErrors(result.diagnostics)) return { result, errors: format("error"), warnings };
  const code = await renderTsModule(result.compiled.environments, { configPath: relativeToCwd(result.compiled.configPath, root), javascript: true });
  return { result, code, warnings };
}

/** Every file the module was compiled from, also when compiling failed, so that fixing any of them rebuilds it. */
function inputsOf(result: CompileResult, options: SequrityPluginOptions, root: string): string[] {
  const files = new Set(result.inputFiles);
  if (options.config !== undefined) files.add(path.resolve(root, options.config));
  return [...files];
}

/** Vite reports changed files with `/` separators on every OS. */
const posix = (file: string) => file.split(path.sep).join("/");

export const sequrityPlugin = createUnplugin<SequrityPluginOptions | undefined>((options = {}) => {
  let root = process.cwd();
  // What the last load read: Vite's dev server invalidates the module when one of them changes.
  let inputs = new Set<string>();
  let lastLoadFailed = false;
  return {
    name: PLUGIN_NAME,
    resolveId: {
      filter: { id: /^virtual:sequrity-headers$/ },
      handler: (id) => (id === VIRTUAL_MODULE ? RESOLVED_ID : undefined),
    },
    load: {
      filter: { id: /^\0virtual:sequrity-headers$/ },
      async handler(id) {
        if (id !== RESOLVED_ID) return undefined;
        const { result, code, errors, warnings } = await virtualModule(options, root);
        const files = inputsOf(result, options, root);
        inputs = new Set(files.map(posix));
        for (const file of files) this.addWatchFile(file);
        for (const w of warnings) this.warn(w);
        lastLoadFailed = errors !== undefined;
        if (errors !== undefined) {
          // No stack: the mistake is in the user's config, not in our frames, and bundlers print a stack when there is one.
          this.error({ message: errors, stack: "" });
          // esbuild's adapter collects errors instead of throwing; they fail the build with this (empty) module.
          return "";
        }
        return code;
      },
    },
    vite: {
      configResolved(config) {
        root = config.root;
      },
      hotUpdate({ file, modules }: HotUpdateOptions) {
        if (!inputs.has(posix(file))) return undefined;
        const graph = this.environment.moduleGraph;
        const virtual = graph.getModuleById(RESOLVED_ID);
        if (virtual) {
          graph.invalidateModule(virtual);
          return [...modules, virtual];
        }
        // A failed load leaves no module in the graph to update: a page showing that error reloads instead.
        if (lastLoadFailed) this.environment.hot.send({ type: "full-reload", triggeredBy: file });
        return undefined;
      },
    },
    esbuild: {
      onResolveFilter: /^virtual:sequrity-headers$/,
      onLoadFilter: /^\x00virtual:sequrity-headers$/,
      config(initial) {
        if (initial.absWorkingDir !== undefined) root = initial.absWorkingDir;
      },
    },
  };
});
