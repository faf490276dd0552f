import path from "node:path";
import { transform } from "esbuild";
import { build } from "vite";
import { describe, expect, it } from "vitest";
import { virtualModule, type SequrityPluginOptions } from "../../src/plugin/core.js";
import sequrity from "../../src/plugin/vite.js";
import { runCli } from "../helpers.js";
import { asJson, cliJson, importBundle, pluginProject } from "./project.js";

/** Vite colours its own wrapper of the message where it thinks a terminal may be (CI=true does): compare the text. */
const plain = (message: string | undefined) => message?.replace(/\x1b\[[0-9;]*m/g, "");

/** `vite build --ssr entry.js` with the plugin, into DIR/out/bundle.mjs; returns the bundle's exports. */
async function viteBuild(dir: string, options?: SequrityPluginOptions) {
  await build({
    root: dir,
    configFile: false,
    logLevel: "silent",
    plugins: [sequrity(options)],
    build: { ssr: "entry.js", outDir: "out", rolldownOptions: { output: { entryFileNames: "bundle.mjs" } } },
  });
  return importBundle(path.join(dir, "out/bundle.mjs"));
}

describe("the Vite plugin", { timeout: 60_000 }, () => {
  it("serves virtual:sequrity-headers with the headers of build -f json, byte for byte", async () => {
    const dir = pluginProject();
    const bundle = await viteBuild(dir);
    expect(asJson(bundle)).toBe(await cliJson(dir));
    expect(Object.keys(bundle.SEQURITY_HEADERS)).toEqual(["dev", "prod"]);
  });

  it("takes `config` relative to Vite's root, not the working directory", async () => {
    const dir = pluginProject();
    expect(asJson(await viteBuild(dir, { config: "sequrity.config.yaml" }))).toBe(await cliJson(dir));
  });

  it("limits the module to `environments`, like build -e", async () => {
    const dir = pluginProject();
    const bundle = await viteBuild(dir, { environments: ["prod"] });
    expect(asJson(bundle)).toBe(await cliJson(dir, ["prod"]));
  });

  it("bundles the helper that returns a fresh copy and throws on a name that is not an environment", async () => {
    const bundle = await viteBuild(pluginProject());
    const copy = bundle.sequrityHeaders("prod");
    copy["X-Policy"] = "changed";
    expect(bundle.sequrityHeaders("prod")).toEqual(bundle.SEQURITY_HEADERS.prod);
    expect(() => bundle.sequrityHeaders("__proto__")).toThrow('sequrityHeaders: unknown environment "__proto__"; known environments: "dev", "prod"');
  });

  it("fails the build on a broken config with the tool's located message and code frame, and no stack of its own", async () => {
    const dir = pluginProject("version: 1\nenvironments:\n  dev:\n    features: { agent_arch: triple-llm }\n");
    const failure = await viteBuild(dir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(plain(failure?.message)).toBe(
      [
        "Build failed with 1 error:",
        "",
        "[plugin sequrity-config]",
        'RolldownError: sequrity.config.yaml:4:29: error: environments.dev.features.agent_arch: the string "triple-llm" is not allowed; expected one of "single-llm", "dual-llm" (environment dev)',
        "  4 |     features: { agent_arch: triple-llm }",
        "    |                             ^^^^^^^^^^",
      ].join("\n"),
    );
  });

  it("fails the build on an environment the config does not define", async () => {
    const failure = await viteBuild(pluginProject(), { environments: ["stagign"] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(plain(failure?.message)).toBe(
      'Build failed with 1 error:\n\n[plugin sequrity-config]\nRolldownError: error: unknown environment "stagign"; sequrity.config.yaml defines: dev, prod',
    );
  });
});

describe("the virtual module", () => {
  it("is the build -f ts module without its type annotations: the same code once both are stripped to JavaScript", async () => {
    const dir = pluginProject();
    const ts = await runCli(["build", "-f", "ts"], dir);
    const { code } = await virtualModule({}, dir);
    const [tsFirst] = ts.stdout.split("\n");
    expect(code?.split("\n")[0]).toBe(tsFirst);
    const js = (source: string, loader: "ts" | "js") => transform(source, { loader, minifyWhitespace: true }).then((r) => r.code);
    expect(await js(code ?? "", "js")).toBe(await js(ts.stdout, "ts"));
  });
});
