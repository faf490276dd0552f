/**
 * `-c FILE` (repeatable) and `--all`: the configs a command runs on, and one exit status for all
 * of them. Each config is compiled and reported on its own (its messages name its files).
 */
import path from "node:path";
import { findConfigs } from "../load/discover.js";
import { workingTree } from "../load/file-source.js";
import { projectRoot } from "../load/project-files.js";
import { EXIT, type Io } from "./io.js";
import type { ConfigsOptions } from "./options.js";

/** The configs to run on, as the command line names them (relative to the Io's folder); `undefined` is "discover". */
export type ChosenConfigs = { ok: true; configs: (string | undefined)[] } | { ok: false; status: number };

export async function chosenConfigs(io: Io, o: ConfigsOptions): Promise<ChosenConfigs> {
  const given = o.config ?? [];
  if (o.all && given.length > 0) {
    io.stderr("error: --all and -c cannot be used together: --all already takes every config under the project root\n");
    return { ok: false, status: EXIT.usage };
  }
  if (!o.all) return { ok: true, configs: given.length > 0 ? given : [undefined] };
  // The project root of the folder the command runs in: its git work tree, else the folder itself.
  const root = await projectRoot(workingTree, path.join(io.cwd, "-"));
  const found = await findConfigs(root, workingTree);
  if (found.length === 0) {
    io.stderr(`error: --all found no config file under ${root} (node_modules and hidden folders are skipped)\n`);
    return { ok: false, status: EXIT.invalid };
  }
  return { ok: true, configs: found.map((f) => path.relative(io.cwd, f) || f) };
}

/** One status for many runs: a usage error over a failure, a failure over success. */
export function combinedStatus(statuses: readonly number[]): number {
  if (statuses.includes(EXIT.usage)) return EXIT.usage;
  return statuses.find((s) => s !== EXIT.ok) ?? EXIT.ok;
}

/**
 * Runs `one` per config in order and prints one `{"valid", "configs": [...]}` document on stdout,
 * holding each config's JSON document (`one` returns it, or none when it printed its own output).
 */
export async function forEachConfigJson(
  io: Io,
  configs: readonly (string | undefined)[],
  one: (config: string | undefined) => Promise<{ status: number; document?: Record<string, unknown> }>,
): Promise<number> {
  const statuses: number[] = [];
  const documents: Record<string, unknown>[] = [];
  for (const config of configs) {
    const run = await one(config);
    statuses.push(run.status);
    if (run.document) documents.push(run.document);
  }
  io.stdout(JSON.stringify({ valid: statuses.every((s) => s === EXIT.ok), configs: documents }, null, 2) + "\n");
  return combinedStatus(statuses);
}

/** Runs `one` per config in order; with several, text output gets a heading per config on stderr. */
export async function forEachConfig(
  io: Io,
  configs: readonly (string | undefined)[],
  text: boolean,
  one: (config: string | undefined) => Promise<number>,
): Promise<number> {
  const statuses: number[] = [];
  for (const config of configs) {
    if (configs.length > 1 && text) io.stderr(`${statuses.length > 0 ? "\n" : ""}== ${config} ==\n`);
    statuses.push(await one(config));
  }
  if (configs.length > 1 && text) {
    const failed = statuses.filter((s) => s !== EXIT.ok).length;
    io.stderr(`\n${configs.length} configs: ${configs.length - failed} ok, ${failed} failed\n`);
  }
  return combinedStatus(statuses);
}
