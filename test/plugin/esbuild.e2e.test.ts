import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build, context, type BuildOptions } from "esbuild";
import { describe, expect, it } from "vitest";
import sequrity from "../../src/plugin/esbuild.js";
import type { SequrityPluginOptions } from "../../src/plugin/core.js";
import { asJson, cliJson, CONFIG, importBundle, pluginProject } from "./project.js";

const options = (dir: string, plugin?: SequrityPluginOptions): BuildOptions => ({
  absWorkingDir: dir,
  entryPoints: ["entry.js"],
  bundle: true,
  format: "esm",
  platform: "node",
  outfile: "out/bundle.mjs",
  logLevel: "silent",
  plugins: [sequrity(plugin)],
});

describe("the esbuild plugin", { timeout: 60_000 }, () => {
  it("serves virtual:sequrity-headers with the headers of build -f json, byte for byte", async () => {
    const dir = pluginProject();
    await build(options(dir));
    const bundle = await importBundle(path.join(dir, "out/bundle.mjs"));
    expect(asJson(bundle)).toBe(await cliJson(dir));
    expect(() => bundle.sequrityHeaders("staging")).toThrow('sequrityHeaders: unknown environment "staging"; known environments: "dev", "prod"');
  });

  it("limits the module to `environments`, and reads `config` relative to absWorkingDir", async () => {
    const dir = pluginProject();
    await build(options(dir, { config: "sequrity.config.yaml", environments: ["dev"] }));
    expect(asJson(await importBundle(path.join(dir, "out/bundle.mjs")))).toBe(await cliJson(dir, ["dev"]));
  });

  it("fails the build on a broken policy file with the tool's located message and code frame", async () => {
    const dir = pluginProject();
    writeFileSync(path.join(dir, "policies/base.sqrt"), 'tool "send_email" { hard deny when }\n');
    const failure = await build(options(dir)).then(
      () => undefined,
      (e: unknown) => e as { errors: { text: string; pluginName: string }[] },
    );
    expect(failure?.errors.map((e) => [e.pluginName, e.text])).toEqual([
      [
        "sequrity-config",
        [
          "policies/base.sqrt:1:36: error: expected a predicate, found '}' (environments dev, prod)",
          '  1 | tool "send_email" { hard deny when }',
          "    |                                    ^",
        ].join("\n"),
      ],
    ]);
  });

  it("passes the config's warnings on as build warnings, located", async () => {
    const dir = pluginProject(`${CONFIG}checks: { max_header_bytes: 40 }\n`);
    const result = await build({ ...options(dir, { environments: ["dev"] }), write: false });
    expect(result.warnings.map((w) => w.text)).toEqual([
      [
        "sequrity.config.yaml:5:5: warning: X-Policy is 144 bytes, over the budget of 40 (checks.max_header_bytes); proxies and servers often refuse headers this large (environment dev)",
        "  5 |     mode: standard",
        "    |     ^^^^^^^^^^^^^^",
        "sequrity.config.yaml:10:7: warning: X-Config is 46 bytes, over the budget of 40 (checks.max_header_bytes); proxies and servers often refuse headers this large (environment dev)",
        "  10 |       response_format: { include_program: true }",
        "     |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
      ].join("\n"),
    ]);
  });

  it("watches the config's policy files: editing one rebuilds the bundle", async () => {
    const dir = pluginProject();
    const out = path.join(dir, "out/bundle.mjs");
    const ctx = await context(options(dir));
    try {
      await ctx.rebuild();
      const before = readFileSync(out, "utf8");
      await ctx.watch();
      writeFileSync(path.join(dir, "policies/base.sqrt"), 'tool "send_email" { hard deny when to.value in {str like w"*@example.com"}; }\n');
      // Bounded polling: esbuild rebuilds on its own schedule.
      let after = before;
      for (let i = 0; i < 200 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 50));
        after = readFileSync(out, "utf8");
      }
      expect(asJson(await importBundle(out))).toBe(await cliJson(dir));
      expect(after).toContain("*@example.com");
    } finally {
      await ctx.dispose();
    }
  });
});
