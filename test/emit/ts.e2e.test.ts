// The -f ts module as its users get it: compiled by tsc --strict (without @types/node) and run by node.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderOutputs } from "../../src/emit/outputs.js";
import { freshDir } from "../helpers.js";
import { WEIRD, config, smallConfig } from "./support.js";

const TSC = path.resolve("node_modules/.bin/tsc");
const tmp = freshDir();

/** Type-checks (and emits, as the tsconfig says) the project in `dir`, failing with tsc's own report. */
function tsc(dir: string): void {
  try {
    execFileSync(TSC, ["-p", dir], { encoding: "utf8" });
  } catch (err) {
    throw new Error(`tsc failed:\n${(err as { stdout?: string }).stdout ?? String(err)}`);
  }
}

const USE = `import { SEQURITY_HEADERS, sequrityHeaders, type SequrityEnvironment, type SequrityHeaders } from "./headers.js";
const names: SequrityEnvironment[] = Object.keys(SEQURITY_HEADERS) as SequrityEnvironment[];
// Pairs, not an object: an environment may be named __proto__.
const out: [string, SequrityHeaders][] = names.map((n) => [n, sequrityHeaders(n)]);
// A fresh copy each call: mutating one must not change the next.
(sequrityHeaders("dev") as Record<string, string>)["X-Features"] = "changed";
const literal: "{\\"agent_arch\\": \\"dual-llm\\"}" = SEQURITY_HEADERS.prod["X-Features"];
void literal;
// @ts-expect-error unknown environments do not type-check
const typo: SequrityEnvironment = "staging";
void typo;
console.log(JSON.stringify({ names, out, again: sequrityHeaders("dev"), ownProto: Object.hasOwn(SEQURITY_HEADERS, "__proto__") }));
`;

// Names a typo or a prototype could turn into "headers": the helper must throw for each, never return {}.
const FAIL_CLOSED_USE = `import { sequrityHeaders, type SequrityEnvironment } from "./headers.js";
import type { SequrityHeaders } from "./headers.js";
// A caller using only the types is unaffected.
const typed: (env: SequrityEnvironment) => SequrityHeaders = sequrityHeaders;
const results: string[] = [];
for (const name of ["prdo", "constructor", "__proto__", "toString", "hasOwnProperty"]) {
  try {
    results.push(JSON.stringify(typed(name as SequrityEnvironment)));
  } catch (err) {
    results.push((err as Error).message);
  }
}
console.log(JSON.stringify({ results, prod: sequrityHeaders("prod")["X-Features"] }));
`;

function compileAndRun(dir: string, moduleType: "module" | "commonjs", source: string, use = USE): unknown {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: moduleType }));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        target: "ES2022",
        lib: ["ES2022"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: [],
        outDir: "out",
        rootDir: ".",
      },
      include: ["*.ts"],
    }),
  );
  writeFileSync(path.join(dir, "headers.ts"), source);
  // types: [] keeps @types/node out, so the module is proven not to need it; declare the one global used.
  writeFileSync(path.join(dir, "use.ts"), use.replace("console.log(JSON", "declare const console: { log(s: string): void };\nconsole.log(JSON"));
  tsc(dir);
  return JSON.parse(execFileSync(process.execPath, [path.join(dir, "out", "use.js")], { encoding: "utf8" }));
}

describe("-f ts under tsc and node", () => {
  it.each(["module", "commonjs"] as const)(
    "type-checks under tsc --strict and returns exact values as %s",
    async (moduleType) => {
      const content = (await renderOutputs(WEIRD, { format: "ts" })).files[0]?.content ?? "";
      const result = compileAndRun(path.join(tmp, moduleType), moduleType, content) as {
        names: string[];
        out: [string, Record<string, string>][];
        again: Record<string, string>;
        ownProto: boolean;
      };
      expect(result.names).toEqual(WEIRD.environments.map((e) => e.name));
      expect(result.out).toEqual(WEIRD.environments.map((e) => [e.name, e.headers]));
      expect(result.again["X-Features"]).toBe(WEIRD.environments[0]?.headers["X-Features"]);
      expect(result.ownProto).toBe(true);
    },
    60_000,
  );

  it("sequrityHeaders throws on a name that is not an own environment, listing the known ones (fails closed)", async () => {
    const content = (await renderOutputs(smallConfig(), { format: "ts" })).files[0]?.content ?? "";
    const result = compileAndRun(path.join(tmp, "fail-closed"), "module", content, FAIL_CLOSED_USE) as { results: string[]; prod: string };
    const known = 'known environments: "dev", "prod"';
    expect(result.results).toEqual([
      `sequrityHeaders: unknown environment "prdo"; ${known}`,
      `sequrityHeaders: unknown environment "constructor"; ${known}`,
      `sequrityHeaders: unknown environment "__proto__"; ${known}`,
      `sequrityHeaders: unknown environment "toString"; ${known}`,
      `sequrityHeaders: unknown environment "hasOwnProperty"; ${known}`,
    ]);
    expect(result.prod).toBe('{"agent_arch": "dual-llm"}');
  }, 60_000);

  it("emits a module that still type-checks with no environments", async () => {
    const content = (await renderOutputs(config([]), { format: "ts" })).files[0]?.content ?? "";
    const dir = path.join(tmp, "empty");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "headers.ts"), content);
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", lib: ["ES2022"], module: "NodeNext", types: [] }, include: ["*.ts"] }),
    );
    tsc(dir);
  }, 60_000);
});
