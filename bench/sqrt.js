// SQRT parser benchmark: throughput on the fixture programs, on a ~1 MB program,
// and how parse time grows from 10 KB to 10 MB (it should grow linearly).
// Needs `npm run build` first (imports the compiled stage from dist/).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseSqrt } from "../dist/check/index.js";

const FIXTURES = process.env.SQRT_FIXTURES ?? new URL("../test/fixtures/sqrt.json", import.meta.url);

function loadFixtures() {
  return JSON.parse(readFileSync(FIXTURES, "utf8"));
}

/** A valid program of at least `bytes` characters, made by repeating valid fixture programs. */
function buildProgram(valid, bytes) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const code = valid[i % valid.length] + "\n";
    parts.push(code);
    size += code.length;
  }
  return parts.join("");
}

/** Best-of-`runs` wall time of `fn`, in milliseconds. */
function time(fn, runs) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < best) best = ms;
  }
  return best;
}

const mbps = (chars, ms) => (chars / 1e6 / (ms / 1000)).toFixed(1);

export async function runSqrtBench() {
  const fixtures = loadFixtures();
  const valid = fixtures.filter((f) => f.valid).map((f) => f.code);
  const all = fixtures.map((f) => f.code);
  const allChars = all.reduce((n, c) => n + c.length, 0);

  // Warm up the JIT so the figures measure steady state.
  const warm = buildProgram(valid, 2e6);
  for (let i = 0; i < 3; i++) parseSqrt(warm);

  const rounds = 20;
  const fixMs = time(() => {
    for (let r = 0; r < rounds; r++) for (const c of all) parseSqrt(c);
  }, 3);
  console.log(`fixtures: ${all.length} programs, ${allChars} chars x${rounds}: ${fixMs.toFixed(1)} ms, ${mbps(allChars * rounds, fixMs)} MB/s`);

  const one = buildProgram(valid, 1e6);
  if (!parseSqrt(one).ok) throw new Error("benchmark program does not parse");
  const oneMs = time(() => parseSqrt(one), 5);
  console.log(`1 MB program (${one.length} chars): ${oneMs.toFixed(1)} ms, ${mbps(one.length, oneMs)} MB/s`);

  console.log("growth:");
  let prev = null;
  for (const size of [1e4, 1e5, 1e6, 1e7]) {
    const code = buildProgram(valid, size);
    const ms = time(() => parseSqrt(code), size >= 1e7 ? 2 : 5);
    const ratio = prev ? ` (x${(ms / prev).toFixed(1)} time for x10 size)` : "";
    console.log(`  ${String(size / 1e3).padStart(6)} KB: ${ms.toFixed(1).padStart(8)} ms, ${mbps(code.length, ms).padStart(6)} MB/s${ratio}`);
    prev = ms;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSqrtBench();
