/** Reads the config file (given or discovered) into located nodes. */
import path from "node:path";
import { error, type Diagnostic } from "../diagnostics/index.js";
import { discoverConfig, loadScriptConfig, SCRIPT_EXTENSIONS } from "./discover.js";
import { fromPlain, get, isMap, type LMap, type LNode } from "./lnode.js";
import { readText } from "./read-text.js";
import { Source, locate, wholeFile } from "./source.js";
import { parseYaml } from "./yaml.js";

export interface LoadOptions {
  /** `-c FILE`; discovered from `cwd` when absent. */
  configPath?: string;
  cwd?: string;
}

export interface LoadedFile {
  /** The path as shown in messages (relative to cwd when inside it). */
  file: string;
  /** Absolute path, for resolving policy files. */
  absolute: string;
  source: Source;
  root: LMap;
}

export type LoadResult = { ok: true; loaded: LoadedFile } | { ok: false; diagnostics: Diagnostic[]; source?: Source };

export function shownPath(absolute: string, cwd: string): string {
  const rel = path.relative(cwd, absolute);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : absolute;
}

export async function loadConfigFile(options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  let absolute: string;
  let scriptValue: unknown;
  let packageKey: string | undefined;
  if (options.configPath !== undefined) {
    absolute = path.resolve(cwd, options.configPath);
  } else {
    let found;
    try {
      found = await discoverConfig(cwd);
    } catch (e) {
      return fail(error("config-load", `cannot load config: ${(e as Error).message}`));
    }
    if (!found) {
      return fail(
        error("config-not-found", `no sequrity config found in ${cwd} or above (looked for sequrity.config.yaml, .sequrityrc*, package.json "sequrity", ...); run \`sequrity-config init\` or pass -c FILE`),
      );
    }
    absolute = found.file;
    scriptValue = found.value;
    packageKey = found.packageKey;
  }
  const file = shownPath(absolute, cwd);
  const ext = path.extname(absolute).toLowerCase();

  if (SCRIPT_EXTENSIONS.has(ext)) {
    if (scriptValue === undefined) {
      try {
        scriptValue = await loadScriptConfig(absolute);
      } catch (e) {
        return fail(error("config-load", `cannot load ${file}: ${(e as Error).message.split("\n")[0]}`, { file, line: 0, column: 0 }));
      }
    }
    const source = new Source(file, "", false);
    let root: LNode;
    try {
      root = fromPlain(scriptValue, wholeFile(source), "");
    } catch (e) {
      return fail(error("config-type", (e as Error).message, { file, line: 0, column: 0 }));
    }
    return mappingRoot(file, absolute, source, root);
  }

  const read = await readText(absolute, "config file", file);
  if (!read.ok) return fail(read.diagnostic);
  const source = new Source(file, read.text);
  if (read.text.trim() === "") return fail(error("empty-config", "the config file is empty; it needs at least `environments:`", { file, line: 1, column: 1 }));
  const parsed = parseYaml(source);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics, source };
  let root = parsed.root;
  if (packageKey !== undefined && isMap(root)) root = get(root, packageKey);
  if (!root || (root.kind === "scalar" && root.value === null)) {
    return fail(error("empty-config", "the config file has no content; it needs at least `environments:`", { file, line: 1, column: 1 }));
  }
  return mappingRoot(file, absolute, source, root);
}

function mappingRoot(file: string, absolute: string, source: Source, root: LNode): LoadResult {
  if (!isMap(root)) {
    return fail(error("not-a-mapping", "the config file must be a mapping with `version` and `environments` keys", locate(root.span)));
  }
  return { ok: true, loaded: { file, absolute, source, root } };
}

function fail(d: Diagnostic): LoadResult {
  return { ok: false, diagnostics: [d] };
}
