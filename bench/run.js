// `npm run bench`: prints figures, asserts nothing. Needs `npm run build` (the script runs it).
//   1. cold start of `build` on the example against a bare `node -e 0` (target: at most 2x)
//   2. compile time for 100 / 1,000 / 10,000 environments with 4-deep extends chains
//      (target: 1,000 in under 1 s, linear growth)
//   3. deep extends chains, 500 / 1,000 / 2,000 (bench/chains.js; target linear, 2,000 under 2 s)
//   4. `build -f env -o DIR` for 10,000 environments through the CLI: first build (10,000 files
//      written) and a rebuild with nothing changed (target: under 5 s end to end), with the
//      in-process split into compile, render and write, and the disk's own cost of 10,000 creates
//   5. the SQRT parser (bench/sqrt.js)
//   6. `policy check` text against JSON output on 1 MB with ~5,000 warnings, and a 6,000-operand chain
//      (bench/policy-check.js; target: text within 2x of JSON)
//   7. review --base HEAD next to build, on the example and on 1,000 environments (bench/review.js)
//   8. the policy simulator: 10,000 cases of 10 calls against the example's prod policy (bench/simulate.js)
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile, renderOutputs, writeOutputs } from "../dist/index.js";
import { bigConfig } from "./big-config.js";
import { runChainBench } from "./chains.js";
import { runPolicyCheckBench } from "./policy-check.js";
import { runReviewBench } from "./review.js";
import { runSqrtBench } from "./sqrt.js";
import { runSimulateBench } from "./simulate.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(ROOT, "bin/sequrity-config.js");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function wall(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
  }
  return { median: median(times), best: Math.min(...times) };
}

function coldStart() {
  const runs = 21;
  wall(["-e", "0"], 3); // warm the file cache
  wall([BIN, "build", "-c", "examples/sequrity.config.yaml"], 3);
  const base = wall(["-e", "0"], runs);
  const build = wall([BIN, "build", "-c", "examples/sequrity.config.yaml"], runs);
  console.log("cold start (median of %d runs, best in brackets)", runs);
  console.log("  node -e 0                         %s ms (%s)", base.median.toFixed(1), base.best.toFixed(1));
  console.log("  build -c examples/... (json)      %s ms (%s)", build.median.toFixed(1), build.best.toFixed(1));
  console.log("  ratio                             %sx (target <= 2x)", (build.median / base.median).toFixed(2));
}

async function scaling() {
  console.log("\ncompile, environments in 4-deep extends chains (in-process compile(), best of 3; CLI end to end)");
  const dir = mkdtempSync(path.join(tmpdir(), "sequrity-bench-"));
  writeFileSync(
    path.join(dir, "base.sqrt"),
    'let sensitive = {"internal_use", "confidential"};\ntool "send_email" { hard deny when body.tags overlaps sensitive; }\n',
  );
  let previous;
  for (const n of [100, 1000, 10000]) {
    const sub = path.join(dir, String(n));
    mkdirSync(sub);
    writeFileSync(path.join(sub, "sequrity.config.yaml"), bigConfig(n));
    writeFileSync(
      path.join(sub, "base.sqrt"),
      'let sensitive = {"internal_use", "confidential"};\ntool "send_email" { hard deny when body.tags overlaps sensitive; }\n',
    );
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      const result = await compile({ cwd: sub, configPath: "sequrity.config.yaml" });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!result.compiled || result.compiled.environments.length !== n) throw new Error("bench config did not compile");
      best = Math.min(best, ms);
    }
    const t0 = process.hrtime.bigint();
    const cli = spawnSync(process.execPath, [BIN, "build", "-c", path.join(sub, "sequrity.config.yaml")], {
      stdio: ["ignore", "ignore", "pipe"],
      maxBuffer: 1 << 30,
    });
    const cliMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (cli.status !== 0) throw new Error(String(cli.stderr));
    const growth = previous ? `  x${(best / previous).toFixed(1)} for x10 environments` : "";
    console.log(
      "  %s environments  %s ms (%s ms each)  CLI %s ms%s",
      String(n).padStart(6),
      best.toFixed(0).padStart(6),
      (best / n).toFixed(3),
      cliMs.toFixed(0),
      growth,
    );
    previous = best;
  }
  rmSync(dir, { recursive: true, force: true });
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

// 10,000 bare temp + rename creates in a fresh folder: what the disk alone costs a first build.
function fileSystemFloor(dir, n) {
  mkdirSync(dir);
  const bytes = Buffer.alloc(400, "x");
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const file = path.join(dir, `.env.env${i}`);
    const fd = openSync(`${file}.tmp`, "wx", 0o666);
    writeSync(fd, bytes);
    closeSync(fd);
    renameSync(`${file}.tmp`, file);
  }
  return ms(t0);
}

async function envFiles() {
  const n = 10000;
  const runs = 3;
  console.log(`\nbuild -f env -o DIR, ${n} environments (CLI end to end, median of ${runs}; in-process split)`);
  const dir = mkdtempSync(path.join(tmpdir(), "sequrity-bench-env-"));
  writeFileSync(path.join(dir, "sequrity.config.yaml"), bigConfig(n));
  writeFileSync(
    path.join(dir, "base.sqrt"),
    'let sensitive = {"internal_use", "confidential"};\ntool "send_email" { hard deny when body.tags overlaps sensitive; }\n',
  );
  // Nothing is deleted until the end: on ext4 without a journal (this VM's disk), creating files
  // soon after many were deleted is slow (each new inode skips the recently freed ones, for 1 to 6
  // minutes), so a bench that cleaned up between runs would measure its own cleanup.
  const floorMs = fileSystemFloor(path.join(dir, "floor"), n);
  const cli = (out) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, "build", "-f", "env", "-o", out], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    const t = ms(t0);
    if (r.status !== 0) throw new Error(String(r.stderr));
    return { t, summary: String(r.stderr).trim() };
  };
  const report = (label, results) => {
    const times = results.map((r) => r.t);
    console.log(
      "  CLI %s %s ms  (runs: %s; %s)",
      label.padEnd(28),
      median(times).toFixed(0).padStart(6),
      times.map((t) => t.toFixed(0)).join(", "),
      results[0].summary,
    );
  };
  // Each first build writes into a folder of its own.
  const firsts = Array.from({ length: runs }, (_, i) => cli(`out${i}`));
  report("first build (all written)", firsts);
  report(
    "rebuild (nothing changed)",
    Array.from({ length: runs }, () => cli("out0")),
  );

  let t0 = process.hrtime.bigint();
  const result = await compile({ cwd: dir, configPath: "sequrity.config.yaml", inspect: false });
  const compileMs = ms(t0);
  if (!result.compiled) throw new Error("bench config did not compile");
  t0 = process.hrtime.bigint();
  const rendered = await renderOutputs(result.compiled, { format: "env", out: "in-process", cwd: dir });
  const renderMs = ms(t0);
  const options = { cwd: dir, guard: { inputs: result.inputFiles, force: false } };
  t0 = process.hrtime.bigint();
  await writeOutputs(rendered.files, options);
  const writeMs = ms(t0);
  t0 = process.hrtime.bigint();
  await writeOutputs(rendered.files, options);
  const unchangedMs = ms(t0);
  console.log(
    "  in-process: compile %s ms, render %s ms, write %s ms (all new), %s ms (all unchanged)",
    compileMs.toFixed(0),
    renderMs.toFixed(0),
    writeMs.toFixed(0),
    unchangedMs.toFixed(0),
  );
  console.log("  file system floor: %d bare temp + rename creates %s ms, before the builds", n, floorMs.toFixed(0));
  if (floorMs > 1500) {
    console.log("  (the disk is slow now: files were deleted here in the last minutes; the first builds pay for it too)");
  }
  rmSync(dir, { recursive: true, force: true });
}

// `node bench/run.js [cold] [scaling] [chains] [env] [sqrt] [policy] [simulate] [review]` runs only the sections named; none named runs all.
const only = new Set(process.argv.slice(2));
const wanted = (name) => only.size === 0 || only.has(name);
if (wanted("cold")) coldStart();
if (wanted("scaling")) await scaling();
if (wanted("chains")) {
  console.log("");
  await runChainBench();
}
if (wanted("env")) await envFiles();
if (wanted("sqrt")) {
  console.log("");
  await runSqrtBench();
}
if (wanted("policy")) {
  console.log("");
  await runPolicyCheckBench();
}
if (wanted("simulate")) {
  console.log("");
  await runSimulateBench();
}
if (wanted("review")) {
  console.log("");
  await runReviewBench();
}
