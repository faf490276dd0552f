/**
 * The pipeline, one way: load → validate the file → resolve policy files → merge each environment
 * → presets → validate sections → check policy code → serialize → $overrides.
 * Every stage reports all it finds; an environment stops at its first failing stage.
 */
import path from "node:path";
import { hasErrors, error, locatedNote, noSuchEnvironment, warning, type Diagnostic, type SourceLocation } from "./diagnostics/index.js";
import { checkPolicyCode, minifySqrt, type PolicyIssue } from "./check/index.js";
import { setIn, type LMap, type LNode, type LScalar } from "./load/lnode.js";
import { loadConfigFile, type LoadedFile } from "./load/load-config.js";
import { workingTree, type FileSource } from "./load/file-source.js";
import { projectReader, resolvePolicyFiles, type ProjectReader } from "./load/policy-files.js";
import { locate, type Span } from "./load/source.js";
import { environmentMerger, readStructure, type ConfigStructure, type MergeResult } from "./merge/environments.js";
import { linearizer, orderNames, unitPrefixOf, type BlockGraph, type GraphNode } from "./merge/layers.js";
import { importGraph } from "./import-graph.js";
import { SECTION_SCHEMAS } from "./schema/headers.js";
import { DEFAULT_MAX_HEADER_BYTES } from "./schema/sections.js";
import { HEADER_OF_SECTION, SECTION_NAMES, type CompiledConfig, type CompiledEnvironment, type SectionName } from "./serialize/compiled.js";
import { applyOverrides, dumpModel, dumpRaw } from "./serialize/dump.js";
import { pyDumps } from "./serialize/pyjson.js";
import type { PyValue } from "./serialize/pyvalue.js";
import { pointerKeys } from "./validate/locate.js";
import { overrideWarnings } from "./validate/overrides.js";
import { validateNode } from "./validate/validate.js";

export interface CompileOptions {
  /** `-c FILE`; discovered from `cwd` when absent. */
  configPath?: string;
  cwd?: string;
  /** Only these environments (`-e`), in file order; all when empty. */
  environments?: string[];
  /** Run lints on policy code (warnings). Default true. */
  lint?: boolean;
  /** Replace policy code by its minified form before serializing (build --minify-policy). */
  minifyPolicy?: boolean;
  /**
   * Keep, per environment, what src/inspect.ts reads (merged trees, Python-side values, policy
   * code). Default true; `build` passes false: on a large config, holding every environment's
   * trees until the end costs memory and garbage-collection time.
   */
  inspect?: boolean;
  /** Where every file is read from: the working tree (default), a git revision, or memory. */
  source?: FileSource;
}

/** An environment's sections as sent, before JSON text: for `print` and `explain`. */
export type PySections = Partial<Record<SectionName, PyValue>>;

/** What `compile()` gives back. */
export interface CompileResult {
  /** Present when no error was found. */
  compiled?: CompiledConfig;
  diagnostics: Diagnostic[];
  /** File texts by the names diagnostics use, for code frames. */
  sources: Map<string, string>;
  /** Files read (the config, imports, policy files), for watch mode; also when compilation failed. */
  inputFiles: string[];
}

/**
 * What compiling learnt beyond the result, per environment: the located merged trees and the
 * values as Python sees them. Kept off `CompileResult` so that its type stays small and free of
 * internal node types; src/inspect.ts reads it for the library, the CLI commands for themselves.
 */
export interface CompileDetails {
  /** False when compiled with `inspect: false`: only environmentKeys and tests are kept. */
  inspectable: boolean;
  /** The serialized sections as Python values (key order and int/float kept). */
  pySections: Map<string, PySections>;
  /** The merged nodes: where each value came from. */
  merged: Map<string, Partial<Record<SectionName, LNode>>>;
  /** Each section's merged `$overrides`. */
  overrides: Map<string, Partial<Record<SectionName, LNode>>>;
  /** Every environment the config defines (file order, `-e` or not) → the span of its key. Empty when the file did not load. */
  environmentKeys: Map<string, Span>;
  /** The policy code as checked (before minification) and where it was written. */
  policyCode: Map<string, PolicyCodeSource>;
  /** The config's `tests:` entries (every environment it defines is in environmentKeys). */
  tests?: ConfigTests;
}

const DETAILS = new WeakMap<CompileResult, CompileDetails>();

const noDetails = (inspectable = true): CompileDetails => ({
  inspectable,
  pySections: new Map(),
  merged: new Map(),
  overrides: new Map(),
  environmentKeys: new Map(),
  policyCode: new Map(),
});

/** The details of a result `compile()` returned; undefined for a result made any other way (a copy). */
export function knownDetails(result: CompileResult): CompileDetails | undefined {
  return DETAILS.get(result);
}

/** The details of a result `compile()` returned (empty for a result made any other way). */
export function compileDetails(result: CompileResult): CompileDetails {
  return DETAILS.get(result) ?? noDetails();
}

export interface PolicyCodeSource {
  code: string;
  /** Where character `offset` of `code` was written: the `.sqrt` file, or inside the YAML block. */
  locate(offset: number): SourceLocation;
}

export interface ConfigTests {
  /** Absolute path of the config file; `tests:` entries are relative to its directory. */
  configFile: string;
  /** Test files, like policy files, must resolve inside it. */
  projectRoot: string;
  patterns: { pattern: string; location: SourceLocation }[];
}

/** The same result with other diagnostics, keeping its details. */
export function withDiagnostics(result: CompileResult, diagnostics: Diagnostic[]): CompileResult {
  const copy = { ...result, diagnostics };
  DETAILS.set(copy, compileDetails(result));
  return copy;
}

/** Compiles a config file: every environment's headers, or every problem found. Never throws for a problem in the input. */
export async function compile(options: CompileOptions = {}): Promise<CompileResult> {
  const details = noDetails(options.inspect ?? true);
  const result = await compileInto(options, details);
  DETAILS.set(result, details);
  return result;
}

async function compileInto(options: CompileOptions, details: CompileDetails): Promise<CompileResult> {
  const cwd = options.cwd ?? process.cwd();
  const sources = new Map<string, string>();
  const result: CompileResult = { diagnostics: [], sources, inputFiles: [] };

  const loaded = await loadConfigFile({
    cwd,
    ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
    ...(options.source ? { source: options.source } : {}),
  });
  if (!loaded.ok) {
    if (loaded.source) sources.set(loaded.source.file, loaded.source.text);
    // The config was found but is broken: it is an input all the same (watch mode waits for its fix).
    if (loaded.absolute !== undefined) result.inputFiles.push(loaded.absolute);
    result.inputFiles.push(...(loaded.modules ?? []));
    return { ...result, diagnostics: loaded.diagnostics };
  }
  const file = loaded.loaded;
  sources.set(file.file, file.source.text);
  result.inputFiles.push(file.absolute, ...(file.modules ?? []));

  // Errors in the file as written are all reported; environments whose blocks are free of them
  // still go on through the pipeline, so that their problems show up in the same run.
  const allFileErrors = validateNode("file", file.root);
  if (allFileErrors.some((e) => blockOf(e) === undefined)) return { ...result, diagnostics: allFileErrors };
  const written = readStructure(file.root);
  for (const [name, entry] of written.environments) details.environmentKeys.set(name, entry.keySpan);
  details.tests = configTests(file);

  const usage: Diagnostic[] = [];
  const wanted = options.environments ?? [];
  const names = selectEnvironments(written, wanted, file, usage);
  if (usage.length > 0) return { ...result, diagnostics: usage };
  const source = options.source ?? workingTree;
  const imported = await importGraph(file, written, source, cwd);
  for (const [name, text] of imported.sources) sources.set(name, text);
  result.inputFiles.push(...imported.files);
  const blocks = blocksOf(imported.nodes);
  const affectedBy = (block: string) => names.filter((n) => blocks(n).has(block));
  // With -e, only the blocks the chosen environments are made of matter; each error names the
  // environments built from the block that holds it.
  const located = [...allFileErrors.map((e) => ({ diagnostic: e, block: blockOf(e) as string })), ...imported.problems];
  const fileErrors = located.flatMap(({ diagnostic, block }) => {
    const affected = affectedBy(block);
    // An error at an environment's own name names it already: only the others built on it are listed.
    const key = details.environmentKeys.get(block);
    // (A JS config has no positions: there nothing can be told apart by place.)
    const at = key?.source.hasPositions ? locate(key) : undefined;
    const ownKey =
      at !== undefined && diagnostic.location?.file === at.file && diagnostic.location.line === at.line && diagnostic.location.column === at.column;
    const environments = ownKey ? affected.filter((n) => n !== block) : affected;
    return affected.length > 0 || wanted.length === 0 ? [{ diagnostic: { ...diagnostic, environments }, block }] : [];
  });
  const broken = new Set(fileErrors.map((e) => e.block));
  const used = wanted.length > 0 ? new Set(names.flatMap((n) => [...blocks(n)])) : undefined;

  const diagnostics: Diagnostic[] = fileErrors.map((e) => e.diagnostic);
  // Each config's policy files are read inside its own project root (an imported package's folder).
  const readers = new Map(
    imported.units.flatMap((u) =>
      u.file ? [[u.prefix, { dir: path.dirname(u.file.absolute), reader: projectReader(u.source, u.file.projectRoot) }] as const] : [],
    ),
  );
  const structure = await resolveAllPolicyFiles(
    written.defaults,
    imported.nodes,
    (block) => readers.get(unitPrefixOf(block)),
    cwd,
    diagnostics,
    broken,
    used,
    affectedBy,
  );
  for (const { reader } of readers.values()) {
    for (const [name, text] of reader.sources) sources.set(name, text);
    result.inputFiles.push(...reader.files);
  }

  const maxHeaderBytes = readMaxHeaderBytes(file.root);
  const policyCache = new Map<string, Promise<CheckedCode>>();
  const environments: CompiledEnvironment[] = [];
  const merge = environmentMerger(structure.defaults, structure.nodes);

  for (const name of names) {
    if (broken.size > 0 && [...blocks(name)].some((b) => broken.has(b))) continue;
    const env = await compileEnvironment(name, {
      merge,
      diagnostics,
      policyCache,
      lint: options.lint ?? true,
      minify: options.minifyPolicy ?? false,
      maxHeaderBytes,
      details,
    });
    if (env) environments.push(env);
  }

  result.diagnostics = dedupe(diagnostics);
  if (hasErrors(result.diagnostics)) return result;
  result.compiled = {
    configPath: file.file,
    inputFiles: [...result.inputFiles],
    projectRoot: file.projectRoot,
    definedEnvironments: [...written.environments.keys()],
    environments,
  };
  return result;
}

/** The block (`defaults` or an environment name) a file-schema error is in; undefined outside any block. */
function blockOf(e: Diagnostic): string | undefined {
  const [top, name] = pointerKeys(e.path ?? "");
  if (top === "defaults") return top;
  return top === "environments" ? name : undefined;
}

/**
 * Per environment (computed when asked: only error paths and -e ask for many), the blocks it is
 * made of: `defaults`, what it extends, itself. An `extends`
 * that cannot be followed is reported when the environment merges; here it counts as itself.
 */
function blocksOf(graph: BlockGraph): (name: string) => Set<string> {
  const orderOf = linearizer(graph);
  const memo = new Map<string, Set<string>>();
  return (name) => {
    let blocks = memo.get(name);
    if (!blocks) {
      const order = orderOf(name);
      blocks = new Set(["defaults", ...(order.ok ? orderNames(order.order) : [name])]);
      memo.set(name, blocks);
    }
    return blocks;
  };
}

/** Where a block's policy files are read: its config's folder, through that config's reader. */
type PolicyPlace = (block: string) => { dir: string; reader: ProjectReader } | undefined;

async function resolveAllPolicyFiles(
  defaults: LMap | undefined,
  nodes: BlockGraph,
  placeOf: PolicyPlace,
  cwd: string,
  diagnostics: Diagnostic[],
  broken: Set<string>,
  used: Set<string> | undefined,
  affectedBy: (block: string) => string[],
): Promise<{ defaults: LMap | undefined; nodes: BlockGraph }> {
  const resolve = async (block: LMap | undefined, name: string, place: ReturnType<PolicyPlace>) => {
    if (!block || !place || broken.has(name) || (used && !used.has(name))) return block;
    const before = diagnostics.length;
    const resolved = await resolvePolicyFiles(block, place.dir, cwd, place.reader, diagnostics);
    // A block whose policy file cannot be read is broken like one that fails the schema.
    if (diagnostics.length > before) {
      broken.add(name);
      for (const d of diagnostics.slice(before)) d.environments = affectedBy(name);
    }
    return resolved;
  };
  const resolvedDefaults = await resolve(defaults, "defaults", placeOf(""));
  const resolved = new Map<string, GraphNode>();
  for (const [name, node] of nodes) resolved.set(name, { ...node, block: await resolve(node.block, name, placeOf(name)) });
  return { defaults: resolvedDefaults, nodes: resolved };
}

/** The environments to compile, in file order; names the config does not define are `unknown-environment` errors (a usage error for the CLI). */
function selectEnvironments(structure: ConfigStructure, wanted: string[], file: LoadedFile, diagnostics: Diagnostic[]): string[] {
  const all = [...structure.environments.keys()];
  if (all.length === 0) {
    const envs = file.root.entries.get("environments");
    diagnostics.push(error("no-environments", "the config defines no environments", envs ? locate(envs.keySpan) : locate(file.root.span)));
    return [];
  }
  for (const w of wanted) {
    if (!structure.environments.has(w)) {
      diagnostics.push(noSuchEnvironment([w], all, file.file));
    }
  }
  return wanted.length === 0 ? all : all.filter((n) => wanted.includes(n));
}

function configTests(file: LoadedFile): ConfigTests {
  const list = file.root.entries.get("tests")?.value;
  const patterns = (list?.kind === "seq" ? list.items : []).flatMap((n) =>
    n.kind === "scalar" && typeof n.value === "string" ? [{ pattern: n.value, location: locate(n.span) }] : [],
  );
  return { configFile: file.absolute, projectRoot: file.projectRoot, patterns };
}

function readMaxHeaderBytes(root: LMap): number {
  const checks = root.entries.get("checks")?.value;
  const v = checks?.kind === "map" ? checks.entries.get("max_header_bytes")?.value : undefined;
  return v?.kind === "scalar" && typeof v.value === "number" ? v.value : DEFAULT_MAX_HEADER_BYTES;
}

/** What checking one policy text found, shared by every environment that sends that text. */
interface CheckedCode {
  issues: PolicyIssue[];
  /** The minified text, when asked for and proven safe; else why it was not. */
  minified?: { ok: true; text: string } | { ok: false; why: string };
}

interface EnvContext {
  merge: (name: string) => MergeResult;
  diagnostics: Diagnostic[];
  policyCache: Map<string, Promise<CheckedCode>>;
  lint: boolean;
  minify: boolean;
  maxHeaderBytes: number;
  details: CompileDetails;
}

async function compileEnvironment(name: string, ctx: EnvContext): Promise<CompiledEnvironment | undefined> {
  const merged = ctx.merge(name);
  if (!merged.ok) {
    ctx.diagnostics.push(...merged.diagnostics);
    return undefined;
  }
  const { sections: mergedSections, overrides } = merged.env;
  const resolved = SECTION_NAMES.flatMap((section) => {
    const node = mergedSections[section];
    const o = overrides[section];
    return node ? [{ section, node, ...(o ? { overrides: o } : {}) }] : [];
  });
  if (ctx.details.inspectable) {
    ctx.details.merged.set(name, mergedSections);
    ctx.details.overrides.set(name, overrides);
  }
  const envErrors: Diagnostic[] = [];
  for (const r of resolved) {
    envErrors.push(...validateNode(r.section, r.node, { environment: name }));
    if (r.overrides) ctx.diagnostics.push(...overrideWarnings(r.section, SECTION_SCHEMAS[r.section], r.overrides, name));
  }
  if (envErrors.length > 0) {
    ctx.diagnostics.push(...envErrors);
    return undefined;
  }

  const headers: CompiledEnvironment["headers"] = {};
  const py: PySections = {};
  for (const r of resolved) {
    let node = r.node;
    if (r.section === "policy") {
      const checked = await checkPolicy(node, name, ctx);
      if (checked === undefined) return undefined;
      node = checked;
    }
    let value = dumpModel(SECTION_SCHEMAS[r.section], node);
    if (r.overrides) value = applyOverrides(value, dumpRaw(r.overrides));
    const header = pyDumps(value);
    const headerName = HEADER_OF_SECTION[r.section];
    if (header.length > ctx.maxHeaderBytes) {
      ctx.diagnostics.push(
        warning(
          "header-size",
          `${headerName} is ${header.length} bytes, over the budget of ${ctx.maxHeaderBytes} (checks.max_header_bytes); proxies and servers often refuse headers this large`,
          locate(r.node.span),
          {
            environments: [name],
          },
        ),
      );
    }
    headers[headerName] = header;
    py[r.section] = value;
  }
  if (ctx.details.inspectable) ctx.details.pySections.set(name, py);
  return withParsedSections(name, headers, merged.env.layers);
}

/**
 * An environment whose `sections` (the headers parsed back) are computed when first read: most
 * builds only write the header strings, and parsing every header of thousands of environments up
 * front is a good part of their time. Assigning `sections` replaces them, as for a plain field.
 */
function withParsedSections(name: string, headers: CompiledEnvironment["headers"], layers: string[]): CompiledEnvironment {
  let sections: CompiledEnvironment["sections"] | undefined;
  const env = { name, headers } as CompiledEnvironment;
  Object.defineProperty(env, "sections", {
    enumerable: true,
    configurable: true,
    get: () => (sections ??= parseHeaders(headers)),
    set: (value: CompiledEnvironment["sections"]) => {
      sections = value;
    },
  });
  env.layers = layers;
  return env;
}

function parseHeaders(headers: CompiledEnvironment["headers"]): CompiledEnvironment["sections"] {
  const sections: CompiledEnvironment["sections"] = {};
  for (const section of SECTION_NAMES) {
    const header = headers[HEADER_OF_SECTION[section]];
    if (header !== undefined) sections[section] = JSON.parse(header) as unknown;
  }
  return sections;
}

/** Checks `codes.code` (SQRT or Cedar); returns the policy node to serialize, or undefined on error. */
async function checkPolicy(policy: LNode, env: string, ctx: EnvContext): Promise<LNode | undefined> {
  if (policy.kind !== "map") return policy;
  const codes = policy.entries.get("codes")?.value;
  if (codes?.kind !== "map") return policy;
  const codeNode = codes.entries.get("code")?.value;
  if (codeNode?.kind !== "scalar" || typeof codeNode.value !== "string") return policy;
  const langNode = codes.entries.get("language")?.value;
  const language = langNode?.kind === "scalar" && langNode.value === "cedar" ? "cedar" : "sqrt";
  const key = `${language}\0${codeNode.value}`;
  let pending = ctx.policyCache.get(key);
  if (!pending) {
    pending = checkCode(codeNode.value, language, ctx);
    ctx.policyCache.set(key, pending);
  }
  if (ctx.details.inspectable) ctx.details.policyCode.set(env, { code: codeNode.value, locate: (offset) => locate(spanInCode(codeNode, offset)) });
  const { issues, minified } = await pending;
  for (const issue of issues) {
    const span = spanInCode(codeNode, issue.offset);
    // A note citing another rule gives its place in the user's file too (the YAML line for inline code).
    const extra = {
      environments: [env],
      ...(issue.related ? { notes: issue.related.map((r) => locatedNote(locate(spanInCode(codeNode, r.offset)), r.message)) } : {}),
    };
    const d = issue.severity === "error" ? error(issue.code, issue.message, locate(span), extra) : warning(issue.code, issue.message, locate(span), extra);
    if (d.location) d.location.length = Math.max(1, issue.length);
    ctx.diagnostics.push(d);
  }
  if (issues.some((i) => i.severity === "error")) return undefined;
  if (!minified) return policy;
  if (!minified.ok) {
    ctx.diagnostics.push(warning("minify-refused", `policy code sent as written: ${minified.why}`, locate(codeNode.span), { environments: [env] }));
    return policy;
  }
  return setIn(policy, ["codes", "code"], { ...codeNode, value: minified.text, segments: [] });
}

async function checkCode(code: string, language: "sqrt" | "cedar", ctx: EnvContext): Promise<CheckedCode> {
  const issues = await checkPolicyCode(code, language, { lint: ctx.lint });
  if (!ctx.minify || language !== "sqrt" || issues.some((i) => i.severity === "error")) return { issues };
  const min = minifySqrt(code);
  return { issues, minified: min.ok ? { ok: true, text: min.text } : { ok: false, why: min.diagnostics[0]?.message ?? "it could not be minified safely" } };
}

/** Where character `offset` of a (possibly merged) code string was written (also used by `review` to locate rules). */
export function spanInCode(node: LScalar, offset: number): Span {
  for (const seg of node.segments ?? []) {
    if (offset >= seg.start && offset < seg.end) return seg.locate(offset - seg.start);
  }
  // Past the end (an error at end of input): the last character of the last segment.
  const last = node.segments?.at(-1);
  if (last && offset >= last.end && last.end > last.start) {
    const s = last.locate(last.end - last.start - 1);
    return { ...s, start: s.start + 1, end: s.start + 2 };
  }
  return node.span;
}

/** One diagnostic per place and message; the environments it affects are listed together. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const byKey = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    const l = d.location;
    const key = `${d.severity}|${d.code}|${l?.file}|${l?.line}|${l?.column}|${d.message}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...d, ...(d.environments ? { environments: [...d.environments] } : {}) });
    else if (d.environments) {
      seen.environments ??= [];
      for (const e of d.environments) if (!seen.environments.includes(e)) seen.environments.push(e);
    }
  }
  return [...byKey.values()];
}
