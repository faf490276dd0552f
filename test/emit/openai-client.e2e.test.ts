import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { renderOutputs } from "../../src/emit/outputs.js";
import { freshDir } from "../helpers.js";
import { config, env, fixtureHeaders } from "./support.js";

const tmp = freshDir();

interface GeneratedModule {
  sequrityHeaders(env: string): Record<string, string>;
}

/** Compiles a generated module with tsc --strict into `dir/out` and imports it. */
async function compileModule(dir: string, file: string): Promise<GeneratedModule> {
  writeFileSync(path.join(dir, "package.json"), '{"type": "module"}');
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", types: [], outDir: "out" },
      files: [path.basename(file)],
    }),
  );
  execFileSync(path.resolve("node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
  return (await import(pathToFileURL(path.join(dir, "out", path.basename(file).replace(/\.ts$/, ".js"))).href)) as GeneratedModule;
}

/** One chat completion through the openai SDK against a local server; returns the request's raw headers. */
async function sendWithOpenAI(defaultHeaders: Record<string, string>): Promise<(name: string) => string | undefined> {
  const received: string[][] = [];
  const server = http.createServer((req, res) => {
    received.push(req.rawHeaders);
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-test",
          object: "chat.completion",
          created: 0,
          model: "test-model",
          choices: [{ index: 0, message: { role: "assistant", content: "ok", refusal: null }, finish_reason: "stop", logprobs: null }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const client = new OpenAI({ apiKey: "test", baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, defaultHeaders });
    const completion = await client.chat.completions.create({ model: "test-model", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]?.message.content).toBe("ok");
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  expect(received).toHaveLength(1);
  const raw = received[0] ?? [];
  return (name: string) => {
    const values = raw.filter((_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === name);
    expect(values, name).toHaveLength(1);
    return values[0];
  };
}

describe("generated TS module with the openai SDK", () => {
  it("sends X-Features, X-Policy and X-Config byte-identical to the header strings", async () => {
    const headers = fixtureHeaders();
    const compiled = config([env("dev", { "X-Features": '{"agent_arch": "single-llm"}' }), env("prod", headers)]);
    const rendered = await renderOutputs(compiled, { format: "ts", out: path.join(tmp, "sequrity.ts"), cwd: tmp });
    const file = rendered.files[0];
    if (!file) throw new Error("no output");
    writeFileSync(file.path, file.content);
    const mod = await compileModule(tmp, file.path);
    const got = await sendWithOpenAI(mod.sequrityHeaders("prod"));
    expect(got("x-features")).toBe(headers["X-Features"]);
    expect(got("x-policy")).toBe(headers["X-Policy"]);
    expect(got("x-config")).toBe(headers["X-Config"]);
    expect(headers["X-Policy"]).toMatch(/'.*`.*\$/); // the awkward fixture really went through
  }, 60_000);

  it("end to end: the example's `build -f ts` constants send exactly what `build -f json` prints", async () => {
    const dir = freshDir();
    const bin = path.resolve("bin/sequrity-config.js");
    const example = path.resolve("examples/sequrity.config.yaml");
    const json = JSON.parse(execFileSync(process.execPath, [bin, "build", "-c", example], { encoding: "utf8" })) as Record<string, Record<string, string>>;
    const ts = path.join(dir, "headers.ts");
    execFileSync(process.execPath, [bin, "build", "-c", example, "-f", "ts", "-o", ts], { encoding: "utf8" });
    const mod = await compileModule(dir, ts);
    for (const envName of ["dev", "staging", "prod"]) {
      const got = await sendWithOpenAI(mod.sequrityHeaders(envName));
      for (const h of ["X-Features", "X-Policy", "X-Config"]) expect(got(h.toLowerCase()), `${envName} ${h}`).toBe(json[envName]?.[h]);
    }
  }, 60_000);
});
