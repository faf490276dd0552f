// `review --base HEAD` next to `build` on the same inputs (the example; 1,000 environments), in a
// temp git repository, end to end through the CLI. Target: review within 2.5x of building both
// sides (review compiles the working tree and the revision, then compares). Prints, asserts nothing.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bigConfig } from "./big-config.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(ROOT, "bin/sequrity-config.js");
const RUNS = 7;

function gitRepo(dir) {
  const env = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@example.com", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@example.com" };
  for (const args of [
    ["init", "-q"],
    ["add", "-A"],
    ["commit", "-q", "-m", "bench"],
  ])
    execFileSync("git", args, { cwd: dir, env });
}

/** Median and best wall time of the CLI with `args` in `cwd`, which must succeed. */
function time(cwd, args) {
  const times = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
    if (i > 0) times.push(ms); // the first run warms the file cache
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], best: times[0] };
}

function row(label, dir) {
  const build = time(dir, ["build", "-c", "sequrity.config.yaml"]);
  const review = time(dir, ["review", "--base", "HEAD", "-c", "sequrity.config.yaml", "--format", "json"]);
  const ratio = review.median / build.median;
  console.log(
    "  %s build %s ms (%s)   review %s ms (%s)   review/build %sx   review/(2 builds) %sx",
    label.padEnd(20),
    build.median.toFixed(0).padStart(5),
    build.best.toFixed(0),
    review.median.toFixed(0).padStart(5),
    review.best.toFixed(0),
    ratio.toFixed(2),
    (ratio / 2).toFixed(2),
  );
}

export async function runReviewBench() {
  console.log("review --base HEAD vs build, CLI end to end (median of %d runs, best in brackets; target: review <= 2.5x building both sides)", RUNS);
  const dir = mkdtempSync(path.join(tmpdir(), "sequrity-bench-review-"));
  try {
    const example = path.join(dir, "example");
    cpSync(path.join(ROOT, "examples"), example, { recursive: true });
    gitRepo(example);
    row("example", example);

    const big = path.join(dir, "big");
    mkdirSync(big);
    writeFileSync(path.join(big, "sequrity.config.yaml"), bigConfig(1000));
    writeFileSync(
      path.join(big, "base.sqrt"),
      'let sensitive = {"internal_use", "confidential"};\ntool "send_email" { hard deny when body.tags overlaps sensitive; }\n',
    );
    gitRepo(big);
    row("1,000 environments", big);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
