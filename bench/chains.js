// Deep `extends` chains: env_k extends env_(k-1), every environment compiled (target: linear
// growth, a 2,000-deep chain under 2 s). Each layer adds a little, so output per environment
// stays small and the figure measures merging, not the size of what is sent.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compile } from "../dist/index.js";

function chainConfig(depth) {
  const lines = [
    "version: 1",
    "defaults:",
    "  features: {agent_arch: dual-llm}",
    "  policy: {mode: standard, codes: {code: 'tool \"a\" { hard deny always; }'}}",
    "environments:",
  ];
  for (let i = 0; i < depth; i++) {
    lines.push(`  env${i}:`);
    if (i > 0) lines.push(`    extends: env${i - 1}`);
    lines.push(`    config: {fsm: {max_n_turns: ${(i % 50) + 1}}, llm: {pllm: {seed: ${i}}}}`);
    if (i % 10 === 0) lines.push(`    features: {content_classifiers: [{name: pii_redaction, threshold: 0.${(i % 9) + 1}}]}`);
  }
  return lines.join("\n") + "\n";
}

export async function runChainBench() {
  console.log("extends chains, every environment compiled (in-process compile(), best of 3; target linear, 2,000 under 2 s)");
  const dir = mkdtempSync(path.join(tmpdir(), "sequrity-bench-chains-"));
  try {
    let previous;
    for (const depth of [500, 1000, 2000]) {
      const sub = path.join(dir, String(depth));
      mkdirSync(sub);
      writeFileSync(path.join(sub, "sequrity.config.yaml"), chainConfig(depth));
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = process.hrtime.bigint();
        const result = await compile({ cwd: sub, configPath: "sequrity.config.yaml" });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!result.compiled || result.compiled.environments.length !== depth)
          throw new Error(`chain of ${depth} did not compile: ${result.diagnostics[0]?.message}`);
        best = Math.min(best, ms);
      }
      const growth = previous ? `  x${(best / previous).toFixed(2)} for x2 depth` : "";
      console.log("  depth %s  %s ms%s", String(depth).padStart(5), best.toFixed(0).padStart(6), growth);
      previous = best;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runChainBench();
