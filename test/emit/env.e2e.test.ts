// .env files read back by the shells that source them: sh (dash) and bash, in a clean environment.
import { writeFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderOutputs } from "../../src/emit/outputs.js";
import type { CompiledEnvironment } from "../../src/serialize/compiled.js";
import { freshDir } from "../helpers.js";
import { envHeaders, expectedVars, fixtureCases, tryRender } from "./env-support.js";
import { env, readWithShell, smallConfig } from "./support.js";

const NAMES = ["SEQURITY_FEATURES", "SEQURITY_POLICY", "SEQURITY_CONFIG"];
const tmp = freshDir();

/** Writes each content to a file and checks dotenv, dash and bash all read exactly `expected`. */
function assertAllReaders(cases: { content: string; expected: Record<string, string> }[], tag: string): void {
  const files = cases.map((c, i) => {
    const file = path.join(tmp, `${tag}-${i}.env`);
    writeFileSync(file, c.content);
    return file;
  });
  for (const [i, c] of cases.entries()) {
    expect(dotenv.parse(c.content), `dotenv, case ${i}:\n${c.content}`).toEqual(c.expected);
  }
  for (const shell of ["sh", "bash"]) {
    const read = readWithShell(shell, files, NAMES);
    for (const [i, c] of cases.entries()) expect(read[i], `${shell}, case ${i}:\n${c.content}`).toEqual(c.expected);
  }
}

describe(".env output read by sh and bash", () => {
  it("the small config's files give back every value", async () => {
    const r = await renderOutputs(smallConfig("config/sequrity.config.yaml"), { format: "env", out: "out", cwd: tmp });
    assertAllReaders(
      r.files.map((f, i) => ({ content: f.content, expected: expectedVars(smallConfig().environments[i] as CompiledEnvironment) })),
      "small",
    );
  });

  it("round-trips every fixture header string through dotenv, sh and bash", async () => {
    const cases = await fixtureCases();
    expect(cases.length).toBe(150);
    assertAllReaders(cases, "fixture");
  });

  it("property: sh (dash) and bash read every emitted value back exactly", async () => {
    const samples = fc.sample(envHeaders, { numRuns: 400, seed: 20240607 });
    const cases = [];
    for (const h of samples) {
      const e = env("p", h);
      const content = await tryRender(e);
      if (typeof content === "string") cases.push({ content, expected: expectedVars(e) });
    }
    expect(cases.length).toBeGreaterThan(300);
    assertAllReaders(cases, "prop");
  });

  it("the backslash guard reads back exactly in every reader", async () => {
    const e = env("g", { "X-Features": "x\\", "X-Policy": "# y", "X-Config": "z\\" });
    const content = await tryRender(e);
    if (typeof content !== "string") throw content;
    assertAllReaders([{ content, expected: expectedVars(e) }], "guard");
  });
});
