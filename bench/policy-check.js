// `policy check` on a ~1 MB SQRT file with ~5,000 warnings: text output (code frames) against JSON output
// (target: text within 2x of JSON), the same on one single long line, and a 6,000-operand `or` chain
// through check and fmt. Needs `npm run build` first (imports the compiled CLI functions from dist/).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { policyCheck, policyFmt } from "../dist/cli/policy.js";

/** ~`bytes` of SQRT where every block has one undefined name (one warning each), joined by `sep`. */
function warningProgram(bytes, sep) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const block = `tool "send_${i}" { must deny when to_${i}.tags overlaps {"confidential", "internal_use"} and Missing${i}; should allow when cc_${i}.value in {str like w"*@example.com"}; }`;
    parts.push(block);
    size += block.length + sep.length;
  }
  return { code: parts.join(sep) + "\n", warnings: parts.length };
}

/** Best-of-`runs` wall time of `fn` in milliseconds, and its last result. */
async function time(fn, runs) {
  let best = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    result = await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: best, result };
}

/** Runs a policy command with output collected in memory (the figure is the tool's work, not the terminal's). */
async function run(command, file, opts) {
  let bytes = 0;
  const io = { stdout: (s) => void (bytes += s.length), stderr: (s) => void (bytes += s.length), cwd: path.dirname(file), isTTY: false };
  const status = await command([file], opts, io);
  return { status, bytes };
}

export async function runPolicyCheckBench() {
  const dir = mkdtempSync(path.join(tmpdir(), "sequrity-bench-policy-"));
  try {
    console.log("policy check, ~1 MB with ~5,000 warnings (in-process, best of 3)");
    for (const [label, sep] of [
      ["one block a line", "\n"],
      ["all on one line", " "],
    ]) {
      const { code, warnings } = warningProgram(1e6, sep);
      const file = path.join(dir, `${sep === "\n" ? "lines" : "long"}.sqrt`);
      writeFileSync(file, code);
      const json = await time(() => run(policyCheck, file, { format: "json", strict: false }), 3);
      const text = await time(() => run(policyCheck, file, { format: "text", strict: false }), 3);
      console.log(
        "  %s (%d chars, %d warnings): json %s ms, text %s ms (%s MB of output): text/json %sx (target <= 2x)",
        label.padEnd(16),
        code.length,
        warnings,
        json.ms.toFixed(0),
        text.ms.toFixed(0),
        (text.result.bytes / 1e6).toFixed(1),
        (text.ms / json.ms).toFixed(2),
      );
    }

    const n = 6000;
    const chain = `tool "t" {\n    must deny when ${Array.from({ length: n }, (_, i) => `a${i}.tags is empty`).join(" or ")};\n}\n`;
    const file = path.join(dir, "chain.sqrt");
    writeFileSync(file, chain);
    const check = await time(() => run(policyCheck, file, { format: "text", strict: false }), 3);
    const fmt = await time(() => run(policyFmt, file, { write: false, check: false }), 3);
    if (check.result.status !== 0 || fmt.result.status !== 0) throw new Error("the chain benchmark program was refused");
    console.log("  %d-operand 'or' chain (%d chars): check %s ms, fmt %s ms", n, chain.length, check.ms.toFixed(0), fmt.ms.toFixed(0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runPolicyCheckBench();
