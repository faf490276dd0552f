// `npm run bench`: prints figures, asserts nothing. Needs `npm run build` (the script runs it).
//   1. cold start of `build` on the example against a bare `node -e 0` (target: at most 2x)
//   2. compile time for 100 / 1,000 / 10,000 environments with 4-deep extends chains
//      (target: 1,000 in under 1 s, linear growth)
//   3. the SQRT parser (bench/sqrt.js)
//   4. the policy simulator (bench/simulate.js)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../dist/index.js";
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

/** A config of `n` environments in chains of four (each extends the one before it in its chain). */
function bigConfig(n) {
  const lines = [
    "version: 1",
    "defaults:",
    "  features: {agent_arch: dual-llm}",
    "  policy: {mode: standard, codes: {file: base.sqrt}}",
    "  config: {fsm: {max_n_turns: 10, clear_session_meta: every_turn}}",
    "environments:",
  ];
  for (let i = 0; i < n; i++) {
    lines.push(`  env${i}:`);
    if (i % 4 !== 0) lines.push(`    extends: env${i - 1}`);
    lines.push(`    features: {content_classifiers: {$append: [{name: pii_redaction, threshold: 0.${(i % 9) + 1}}]}}`);
    lines.push(`    policy: {codes: {code: {$append: 'tool "t${i}" { hard deny when x.tags overlaps {"s${i}"}; }'}}}`);
    lines.push(`    config: {llm: {pllm: {seed: ${i}, logit_bias: {"${i}": -1}}}}`);
  }
  return lines.join("\n") + "\n";
}

async function scaling() {
  console.log("\ncompile, environments in 4-deep extends chains (in-process compile(), best of 3; CLI end to end)");
  const dir = mkdtempSync(path.join(tmpdir(), "sequrity-bench-"));
  writeFileSync(path.join(dir, "base.sqrt"), 'let sensitive = {"internal_use", "confidential"};\ntool "send_email" { hard deny when body.tags overlaps sensitive; }\n');
  let previous;
  for (const n of [100, 1000, 10000]) {
    const sub = path.join(dir, String(n));
    mkdirSync(sub);
    writeFileSync(path.join(sub, "sequrity.config.yaml"), bigConfig(n));
    writeFileSync(path.join(sub, "base.sqrt"), 'let sensitive = {"internal_use", "confidential"};\ntool "send_email" { hard deny when body.tags overlaps sensitive; }\n');
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      const result = await compile({ cwd: sub, configPath: "sequrity.config.yaml" });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!result.compiled || result.compiled.environments.length !== n) throw new Error("bench config did not compile");
      best = Math.min(best, ms);
    }
    const t0 = process.hrtime.bigint();
    const cli = spawnSync(process.execPath, [BIN, "build", "-c", path.join(sub, "sequrity.config.yaml")], { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
    const cliMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (cli.status !== 0) throw new Error(String(cli.stderr));
    const growth = previous ? `  x${(best / previous).toFixed(1)} for x10 environments` : "";
    console.log("  %s environments  %s ms (%s ms each)  CLI %s ms%s", String(n).padStart(6), best.toFixed(0).padStart(6), (best / n).toFixed(3), cliMs.toFixed(0), growth);
    previous = best;
  }
  rmSync(dir, { recursive: true, force: true });
}

coldStart();
await scaling();
console.log("");
await runSqrtBench();
console.log("");
await runSimulateBench();
