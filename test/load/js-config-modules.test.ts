// A JS/TS config and the modules it imports are read afresh at every load, and those modules are
// inputs of the build (docs/typescript-config.md): watch mode follows them, no output replaces them.
import { realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { runCli, tempProject } from "../helpers.js";

const envs = (arch: string) => `export const envs = { dev: { features: { agent_arch: "${arch}" } } };\n`;
const CONFIG = 'import { envs } from "./envs.mjs";\nexport default { version: 1, environments: envs };\n';

describe("the modules a JS config imports", () => {
  it("are read afresh at every load and listed among the inputs", async () => {
    const dir = realpathSync(tempProject({ "sequrity.config.mjs": CONFIG, "envs.mjs": envs("dual-llm") }));
    const first = await compile({ cwd: dir });
    expect(first.inputFiles).toEqual([path.join(dir, "sequrity.config.mjs"), path.join(dir, "envs.mjs")]);
    expect(first.compiled?.environments[0]?.headers["X-Features"]).toBe('{"agent_arch": "dual-llm"}');
    writeFileSync(path.join(dir, "envs.mjs"), envs("single-llm"));
    expect((await compile({ cwd: dir })).compiled?.environments[0]?.headers["X-Features"]).toBe('{"agent_arch": "single-llm"}');
  });

  it("are never replaced by an output, even with --force", async () => {
    const dir = tempProject({ "sequrity.config.mjs": CONFIG, "envs.mjs": envs("dual-llm") });
    const r = await runCli(["build", "-f", "ts", "-o", "envs.mjs", "--force"], dir);
    expect([r.code, r.stderr.split("\n")[0]]).toEqual([
      1,
      "envs.mjs: error: refusing to write envs.mjs: it is a file this run reads (the config, a policy file, a template or a test file); choose another -o",
    ]);
  });

  it("a config with a top-level await still loads, as an ES module", async () => {
    const dir = tempProject({
      "sequrity.config.mts":
        "const arch = await Promise.resolve('dual-llm');\nexport default { version: 1, environments: { dev: { features: { agent_arch: arch } } } };\n",
    });
    const r = await compile({ cwd: dir, configPath: "sequrity.config.mts" });
    expect(r.compiled?.environments[0]?.headers["X-Features"]).toBe('{"agent_arch": "dual-llm"}');
  });
});
