// Simulation benchmark: cases of 10 tool calls against the example's prod policy, run in-process
// (`runCase`, as `test` does after loading), at 1,000 and 10,000 cases to show linear growth
// (target: 10,000 cases in under 2 s); then 1,000 of them end to end through `runPolicyTests`
// (config compiled, a 1 MB YAML test file parsed and validated, simulation), where YAML parsing
// dominates. Needs `npm run build` first.
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { compile, runPolicyTests } from "../dist/index.js";
import { prepareAll } from "../dist/simulate/run-tests.js";
import { runCase } from "../dist/simulate/simulate.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Case `i`: ten calls with values of its own (recipients, document ids), so caches do not make it trivial. */
function steps(i) {
  const doc = { from: "doc" };
  return [
    { call: "get_internal_document", args: { doc_id: `DOC${i}` }, result: { as: "doc", value: `# Document ${i}` }, expect: "allow" },
    { call: "send_email", args: { to: `user${i}@gmail.com`, subject: "s", body: doc }, expect: "deny" },
    { call: "send_email", args: { to: `user${i}@trustedcorp.com`, subject: "s", body: doc }, expect: "allow" },
    { call: "send_email", args: { to: `friend${i}@example.org`, body: `note ${i}` }, expect: "allow" },
    { call: "create_share_link", args: { document: doc }, expect: "deny" },
    { call: "create_share_link", args: { document: `public ${i}` }, expect: "allow" },
    { call: "get_internal_document", args: { doc_id: `DOC${i + 1}` }, result: { as: "doc2" } },
    { call: "send_email", args: { to: `boss${i}@trustedcorp.com`, body: { from: ["doc", "doc2"] } }, expect: "allow" },
    { call: "send_email", args: { to: `x${i}@yahoo.com`, body: { from: "doc2", tags: [] } }, expect: "allow" },
    { call: "send_email", args: { to: `y${i}@yahoo.com`, body: { from: "doc2" } }, expect: "deny" },
  ];
}

function timeCases(env, n) {
  const cases = Array.from({ length: n }, (_, i) => steps(i));
  const t0 = process.hrtime.bigint();
  let failures = 0;
  for (const c of cases) failures += runCase(env, c, undefined, new Set()).failures.length;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (failures > 0) throw new Error(`benchmark cases failed ${failures} expectations`);
  return ms;
}

export async function runSimulateBench() {
  const result = await compile({ cwd: ROOT, configPath: "examples/sequrity.config.yaml", environments: ["prod"], lint: false });
  const [prod] = prepareAll(result);
  timeCases(prod, 3000); // warm the JIT
  console.log("simulation, cases of 10 calls against the example's prod policy (in-process)");
  let previous;
  for (const n of [1000, 10000]) {
    const ms = timeCases(prod, n);
    const growth = previous ? `  x${(ms / previous).toFixed(1)} for x10 cases` : "";
    console.log(
      "  %s cases  %s ms total (%s ms per case, %s us per call)%s",
      String(n).padStart(6),
      ms.toFixed(0).padStart(6),
      (ms / n).toFixed(3),
      ((ms * 1000) / (n * 10)).toFixed(1),
      growth,
    );
    previous = ms;
  }

  const dir = mkdtempSync(path.join(tmpdir(), "sequrity-bench-sim-"));
  try {
    mkdirSync(path.join(dir, "policies"));
    copyFileSync(path.join(ROOT, "examples/sequrity.config.yaml"), path.join(dir, "sequrity.config.yaml"));
    copyFileSync(path.join(ROOT, "examples/policies/internal-docs.sqrt"), path.join(dir, "policies/internal-docs.sqrt"));
    const n = 1000;
    const cases = Array.from({ length: n }, (_, i) => ({ name: `case ${i}`, environments: ["prod"], steps: steps(i) }));
    writeFileSync(path.join(dir, "policies/bench.test.yaml"), stringify({ version: 1, cases }, { aliasDuplicateObjects: false }));
    const t0 = process.hrtime.bigint();
    const run = await runPolicyTests({ cwd: dir, configPath: "sequrity.config.yaml", files: ["policies/bench.test.yaml"], environments: ["prod"] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (run.summary.passed !== n) throw new Error(`end-to-end benchmark: ${JSON.stringify(run.summary)}`);
    console.log("  %s cases end to end (runPolicyTests: config, YAML test file, validation, simulation)  %s ms", n.toLocaleString("en"), ms.toFixed(0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSimulateBench();
