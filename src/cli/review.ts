/**
 * `review --base REF | --against FILE`: compiles the before side (the config as it is in git
 * revision REF, read through git, or another config file) and the working tree, and prints every
 * change per environment, classified (security-review.md).
 */
import path from "node:path";
import { compile, compileDetails, withDiagnostics, type CompileOptions, type CompileResult } from "../compile.js";
import { diagnosticJson, githubAnnotation, hasErrors } from "../diagnostics/index.js";
import { escapeControls } from "../diagnostics/escape.js";
import { GitError, gitSource, gitTopLevel, type GitSource } from "../load/git-source.js";
import { reviewGithub } from "../review/github.js";
import { reviewJson } from "../review/json.js";
import { reviewMarkdown } from "../review/markdown.js";
import type { Review } from "../review/model.js";
import { caseVerdicts, failsOn, reviewConfigs } from "../review/review.js";
import { reviewText } from "../review/text.js";
import { sideVerdictChanges } from "../simulate/compare.js";
import { chosenConfigs, combinedStatus } from "./configs.js";
import { EXIT, type Io } from "./io.js";
import type { ReviewCliOptions, ReviewFormat } from "./options.js";
import { report } from "./report.js";

const FORMATTERS: Record<ReviewFormat, (r: Review) => string> = { text: reviewText, markdown: reviewMarkdown, json: reviewJson, github: reviewGithub };

/**
 * Compiles one side with `-e`: an environment only the other side defines is not this side's
 * error (it is added or removed), so the side is compiled again with the names it has.
 */
async function compileSide(options: CompileOptions, wanted: string[]): Promise<CompileResult> {
  const first = await compile({ ...options, environments: wanted });
  if (wanted.length === 0 || !first.diagnostics.some((d) => d.code === "no-such-environment")) return first;
  const present = wanted.filter((w) => compileDetails(first).environmentKeys.has(w));
  // None of them here: an empty side, every named environment is on the other side only.
  if (present.length === 0) return withDiagnostics(first, []);
  return compile({ ...options, environments: present });
}

/**
 * Each failing side's errors, labelled `before (...)` / `after (...)`: under a heading in text
 * (stderr), with a `side` field in json, in the message of each github annotation (stdout).
 */
function reportSides(io: Io, format: ReviewFormat, sides: { side: "before" | "after"; from: string; result: CompileResult }[]): string {
  const failing = sides.filter((s) => hasErrors(s.result.diagnostics));
  if (format === "json") {
    const diagnostics = failing.flatMap((s) => s.result.diagnostics.map((d) => ({ side: s.side, ...diagnosticJson(d) })));
    return JSON.stringify({ valid: false, diagnostics }, null, 2) + "\n";
  }
  let stdout = "";
  for (const s of failing) {
    if (format === "github") {
      for (const d of s.result.diagnostics) stdout += githubAnnotation({ ...d, message: `${s.side} (${s.from}): ${d.message}` }) + "\n";
      continue;
    }
    io.stderr(`${s.side} (${escapeControls(s.from)}):\n`);
    report(io, s.result.diagnostics, { sources: s.result.sources, writes: false });
  }
  return stdout;
}

function usage(io: Io, message: string): number {
  io.stderr(`error: ${message}\n`);
  return EXIT.usage;
}

export async function runReview(io: Io, o: ReviewCliOptions): Promise<number> {
  if ((o.base === undefined) === (o.against === undefined)) return usage(io, "review needs exactly one of --base REF or --against FILE");
  const chosen = await chosenConfigs(io, o);
  if (!chosen.ok) return chosen.status;
  const { configs } = chosen;
  if (configs.length > 1 && o.against !== undefined) return usage(io, "--against FILE compares one config; with several configs use --base REF");
  const revisions = new Revisions();
  try {
    if (configs.length === 1) {
      const one = await reviewOne(io, configs[0], o, revisions);
      io.stdout(one.stdout);
      return one.status;
    }
    return await reviewMany(io, configs, o, revisions);
  } finally {
    revisions.close();
  }
}

async function reviewMany(io: Io, configs: readonly (string | undefined)[], o: ReviewCliOptions, revisions: Revisions): Promise<number> {
  const runs: ReviewRun[] = [];
  for (const config of configs) runs.push({ ...(await reviewOne(io, config, o, revisions, true)), config });
  io.stdout(joinedReviews(o.format, runs));
  if (o.format === "text" || o.format === "markdown") {
    const failed = runs.filter((r) => r.status !== EXIT.ok).length;
    io.stderr(`${runs.length} configs: ${runs.length - failed} passed, ${failed} failed (errors, or a change at or above --fail-on)\n`);
  }
  return combinedStatus(runs.map((r) => r.status));
}

/** The revision read through git, one reader per work tree for the whole run (several configs often share one). */
class Revisions {
  private readonly byTop = new Map<string, Promise<GitSource | GitError>>();
  private readonly told = new Set<string>();

  async at(dir: string, ref: string): Promise<GitSource | GitError> {
    let top: string;
    try {
      top = await gitTopLevel(dir);
    } catch (e) {
      if (e instanceof GitError) return e;
      throw e;
    }
    let source = this.byTop.get(top);
    if (!source) {
      source = gitSource(top, ref).catch((e: unknown) => {
        if (e instanceof GitError) return e;
        throw e;
      });
      this.byTop.set(top, source);
    }
    return source;
  }

  /** True the first time this message is to be told. */
  firstTime(error: GitError): boolean {
    if (this.told.has(error.message)) return false;
    this.told.add(error.message);
    return true;
  }

  close(): void {
    for (const pending of this.byTop.values()) void pending.then((s) => (s instanceof GitError ? undefined : s.close()));
  }
}

/**
 * Several configs' reviews in one output: a heading per config in text and markdown, one
 * `{"configs": [{"config", "review"}]}` document in json (for a config that did not compile,
 * `"errors"`: its `{valid, diagnostics}`, or null after a usage error, which went to stderr),
 * annotations one after the other in github.
 */
function joinedReviews(format: ReviewFormat, runs: readonly ReviewRun[]): string {
  if (format === "github") return runs.map((r) => r.stdout).join("");
  if (format === "text") return runs.map((r) => `== ${r.config ?? ""} ==\n${r.stdout}`).join("\n");
  if (format === "markdown") return runs.map((r) => `# \`${r.config ?? ""}\`\n\n${r.stdout}`).join("\n");
  const indent = (text: string) => text.trimEnd().split("\n").join("\n      ");
  const items = runs.map((r) => {
    const body = r.reviewed ? "review" : "errors";
    return `    {\n      "config": ${JSON.stringify(r.config)},\n      "${body}": ${indent(r.stdout || "null")}\n    }`;
  });
  return `{\n  "configs": [\n${items.join(",\n")}\n  ]\n}\n`;
}

/** One config's review: its stdout text (the review, or its sides' errors in json and github) and exit status. */
interface ReviewRun {
  config?: string | undefined;
  status: number;
  stdout: string;
  /** Both sides compiled: stdout is the review. */
  reviewed: boolean;
}

async function reviewOne(io: Io, config: string | undefined, o: ReviewCliOptions, revisions: Revisions, several = false): Promise<ReviewRun> {
  const fail = (message: string): ReviewRun => ({ status: usage(io, message), stdout: "", reviewed: false });
  const wanted = o.env ?? [];
  const common: CompileOptions = { cwd: io.cwd, lint: false };
  const after = await compileSide({ ...common, ...(config !== undefined ? { configPath: config } : {}) }, wanted);

  let before: CompileResult;
  let label: string;
  if (o.against !== undefined) {
    label = o.against;
    before = await compileSide({ ...common, configPath: o.against }, wanted);
  } else {
    const ref = o.base as string;
    label = `git revision ${ref}`;
    // The same config file, as it is at REF; a config found by discovery in package.json is discovered there again.
    const shown = config ?? after.compiled?.configPath;
    const configPath = shown !== undefined && path.basename(shown) !== "package.json" ? path.resolve(io.cwd, shown) : undefined;
    const source = await revisions.at(configPath ? path.dirname(configPath) : io.cwd, ref);
    if (source instanceof GitError) {
      // Told once per run: the configs of one work tree share its revision, and its error.
      if (revisions.firstTime(source)) return fail(`--base ${ref}: ${source.message}`);
      return { status: EXIT.usage, stdout: "", reviewed: false };
    }
    before = await compileSide({ ...common, ...(configPath ? { configPath } : {}), source }, wanted);
  }

  if (hasErrors(before.diagnostics) || hasErrors(after.diagnostics)) {
    // Among several configs, each side names its config, since the output holds them all.
    const of = several && config !== undefined ? ` of ${config}` : "";
    const stdout = reportSides(io, o.format, [
      { side: "before", from: label + of, result: before },
      { side: "after", from: "working tree" + of, result: after },
    ]);
    return { status: EXIT.invalid, stdout, reviewed: false };
  }
  const unknown = wanted.filter((w) => !compileDetails(before).environmentKeys.has(w) && !compileDetails(after).environmentKeys.has(w));
  if (unknown.length > 0) return fail(`unknown environment${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}: defined on neither side`);

  // With policy tests, the cases whose verdicts the change flips are part of the review.
  const verdicts = await sideVerdictChanges(before, after, io.cwd);
  if (verdicts.diagnostics.length > 0) {
    io.stderr("policy tests not run (their files have errors):\n");
    report(io, verdicts.diagnostics, { writes: false });
  }
  const tests = caseVerdicts(verdicts.changes);
  const review = reviewConfigs({
    base: o.against !== undefined ? { kind: "against", label } : { kind: "base", label: o.base as string },
    before,
    after,
    tests,
  });
  return { status: failsOn(review, o.failOn) ? EXIT.invalid : EXIT.ok, stdout: FORMATTERS[o.format](review), reviewed: true };
}
