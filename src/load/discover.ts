/** Finds the config file the way cosmiconfig does for the module name `sequrity`, searching upward. */
import path from "node:path";

export const MODULE_NAME = "sequrity";

/** Marks a file cosmiconfig found but that we parse ourselves (to keep source positions). */
const RAW = Symbol("raw config file");
interface RawFile {
  [RAW]: true;
}
const raw = (): RawFile => ({ [RAW]: true });

export interface Discovered {
  file: string;
  /** Set for JS/TS configs, which only cosmiconfig can load. */
  value?: unknown;
  /** For package.json: the config sits under this key. */
  packageKey?: string;
}

/** cosmiconfig's defaults for the module name, plus `sequrity.config.yaml/.yml/.json` (product.md). */
export const SEARCH_PLACES = [
  "package.json",
  `.${MODULE_NAME}rc`,
  `.${MODULE_NAME}rc.json`,
  `.${MODULE_NAME}rc.yaml`,
  `.${MODULE_NAME}rc.yml`,
  `.${MODULE_NAME}rc.js`,
  `.${MODULE_NAME}rc.ts`,
  `.${MODULE_NAME}rc.mjs`,
  `.${MODULE_NAME}rc.cjs`,
  `.config/${MODULE_NAME}rc`,
  `.config/${MODULE_NAME}rc.json`,
  `.config/${MODULE_NAME}rc.yaml`,
  `.config/${MODULE_NAME}rc.yml`,
  `${MODULE_NAME}.config.yaml`,
  `${MODULE_NAME}.config.yml`,
  `${MODULE_NAME}.config.json`,
  `${MODULE_NAME}.config.js`,
  `${MODULE_NAME}.config.ts`,
  `${MODULE_NAME}.config.mjs`,
  `${MODULE_NAME}.config.cjs`,
];

export async function discoverConfig(from: string): Promise<Discovered | undefined> {
  const { cosmiconfig } = await import("cosmiconfig");
  const explorer = cosmiconfig(MODULE_NAME, {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: "global",
    stopDir: path.parse(from).root,
    cache: false,
    loaders: {
      ".yaml": raw,
      ".yml": raw,
      noExt: raw,
      // package.json counts only when it has the `sequrity` key; other .json files are ours to parse.
      ".json": (file: string, content: string) =>
        path.basename(file) === "package.json" ? packageConfig(content) : raw(),
    },
  });
  const result = await explorer.search(from);
  if (!result) return undefined;
  const file = result.filepath;
  if (path.basename(file) === "package.json") return { file, packageKey: MODULE_NAME };
  if (isRaw(result.config)) return { file };
  return { file, value: result.config };
}

function packageConfig(content: string): Record<string, unknown> {
  try {
    const pkg = JSON.parse(content) as Record<string, unknown>;
    return MODULE_NAME in pkg ? { [MODULE_NAME]: raw() } : {};
  } catch {
    return {};
  }
}

function isRaw(v: unknown): v is RawFile {
  return typeof v === "object" && v !== null && RAW in v;
}

/** Loads a JS/TS config given with `-c` through cosmiconfig's loaders. */
export async function loadScriptConfig(file: string): Promise<unknown> {
  const { cosmiconfig } = await import("cosmiconfig");
  const result = await cosmiconfig(MODULE_NAME, { cache: false }).load(file);
  return result?.config;
}

export const SCRIPT_EXTENSIONS = new Set([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"]);
