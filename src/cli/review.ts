/**
 * `review --base REF | --against FILE`: compiles the before side (the config as it is in git
 * revision REF, read through git, or another config file) and the working tree, and prints every
 * change per environment, classified (security-review.md).
 */
import path from "node:path";
import { compile, type CompileOptions, type CompileResult } from "../compile.js";
import { diagnosticJson, githubAnnotation, hasErrors } from "../diagnostics/index.js";
import { GitError, gitSource, gitTopLevel, type GitSource } from "../load/git-source.js";
import { reviewGithub } from "../review/github.js";
import { reviewJson } from "../review/json.js";
import { reviewMarkdown } from "../review/markdown.js";
import type { Review } from "../review/model.js";
import { failsOn, reviewConfigs, type FailOn } from "../review/review.js";
import { reviewText } from "../review/text.js";
import { sideVerdictChanges } from "../simulate/compare.js";
import { EXIT, type Io } from "./io.js";
import { report } from "./report.js";

export const REVIEW_FORMATS = ["text", "markdown", "json", "github"] as const;
type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export interface ReviewCliOptions {
  base?: string;
  against?: string;
  config?: string;
  env?: string[];
  format: ReviewFormat;
  failOn: FailOn;
}

const FORMATTERS: Record<ReviewFormat, (r: Review) => string> = { text: reviewText, markdown: reviewMarkdown, json: reviewJson, github: reviewGithub };

/**
 * Compiles one side with `-e`: an environment only the other side defines is not this side's
 * error (it is added or removed), so the side is compiled again with the names it has.
 */
async function compileSide(options: CompileOptions, wanted: string[]): Promise<CompileResult> {
  const first = await compile({ ...options, environments: wanted });
  if (wanted.length === 0 || !first.diagnostics.some((d) => d.code === "no-such-environment")) return first;
  const present = wanted.filter((w) => first.environmentKeys.has(w));
  // None of them here: an empty side, every named environment is on the other side only.
  if (present.length === 0) return { ...first, diagnostics: [] };
  return compile({ ...options, environments: present });
}

/**
 * Each failing side's errors, labelled `before (...)` / `after (...)`: under a heading in text
 * (stderr), with a `side` field in json, in the message of each github annotation (stdout).
 */
function reportSides(io: Io, format: ReviewFormat, sides: { side: "before" | "after"; from: string; result: CompileResult }[]): void {
  const failing = sides.filter((s) => hasErrors(s.result.diagnostics));
  if (format === "json") {
    const diagnostics = failing.flatMap((s) => s.result.diagnostics.map((d) => ({ side: s.side, ...diagnosticJson(d) })));
    io.stdout(JSON.stringify({ valid: false, diagnostics }, null, 2) + "\n");
    return;
  }
  for (const s of failing) {
    if (format === "github") {
      for (const d of s.result.diagnostics) io.stdout(githubAnnotation({ ...d, message: `${s.side} (${s.from}): ${d.message}` }) + "\n");
      continue;
    }
    io.stderr(`${s.side} (${s.from}):\n`);
    report(io, s.result.diagnostics, { sources: s.result.sources, writes: false });
  }
}

function usage(io: Io, message: string): number {
  io.stderr(`error: ${message}\n`);
  return EXIT.usage;
}

export async function runReview(io: Io, o: ReviewCliOptions): Promise<number> {
  if ((o.base === undefined) === (o.against === undefined)) return usage(io, "review needs exactly one of --base REF or --against FILE");
  const wanted = o.env ?? [];
  const common: CompileOptions = { cwd: io.cwd, lint: false };
  const after = await compileSide({ ...common, ...(o.config !== undefined ? { configPath: o.config } : {}) }, wanted);

  let before: CompileResult;
  let label: string;
  if (o.against !== undefined) {
    label = o.against;
    before = await compileSide({ ...common, configPath: o.against }, wanted);
  } else {
    const ref = o.base as string;
    label = `git revision ${ref}`;
    // The same config file, as it is at REF; a config found by discovery in package.json is discovered there again.
    const shown = o.config ?? after.compiled?.configPath;
    const configPath = shown !== undefined && path.basename(shown) !== "package.json" ? path.resolve(io.cwd, shown) : undefined;
    let source: GitSource;
    try {
      source = await gitSource(await gitTopLevel(configPath ? path.dirname(configPath) : io.cwd), ref);
    } catch (e) {
      if (e instanceof GitError) return usage(io, `--base ${ref}: ${e.message}`);
      throw e;
    }
    try {
      before = await compileSide({ ...common, ...(configPath ? { configPath } : {}), source }, wanted);
    } finally {
      source.close();
    }
  }

  if (hasErrors(before.diagnostics) || hasErrors(after.diagnostics)) {
    reportSides(io, o.format, [
      { side: "before", from: label, result: before },
      { side: "after", from: "working tree", result: after },
    ]);
    return EXIT.invalid;
  }
  const unknown = wanted.filter((w) => !before.environmentKeys.has(w) && !after.environmentKeys.has(w));
  if (unknown.length > 0) return usage(io, `unknown environment${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}: defined on neither side`);

  // With policy tests, the cases whose verdicts the change flips are part of the review.
  const verdicts = await sideVerdictChanges(before, after, io.cwd);
  if (verdicts.diagnostics.length > 0) {
    io.stderr("policy tests not run (their files have errors):\n");
    report(io, verdicts.diagnostics, { writes: false });
  }
  const tests = verdicts.changes.map((v) => ({ environment: v.environment, case: v.case, file: v.file, before: v.before, after: v.after }));
  const review = reviewConfigs({
    base: o.against !== undefined ? { kind: "against", label } : { kind: "base", label: o.base as string },
    before,
    after,
    tests,
  });
  io.stdout(FORMATTERS[o.format](review));
  return failsOn(review, o.failOn) ? EXIT.invalid : EXIT.ok;
}
