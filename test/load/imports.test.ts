import { mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { formatDiagnostics } from "../../src/diagnostics/index.js";
import { errorLines, headersOf, runCli, tempProject } from "../helpers.js";
import { APP, app, BASE_SQRT, BASELINE, BASELINE_CONFIG, baseline } from "./imports-fixture.js";

const compileIn = (dir: string, environments: string[] = []) => compile({ cwd: dir, configPath: "sequrity.config.yaml", environments });
const POLICY_HEADER = (mode: string) =>
  `{"mode": "${mode}", "codes": {"code": "tool \\"send_email\\" { hard deny when to.value in {str like w\\"*@gmail.com\\"}; }\\n", "language": "sqrt"}}`;

describe("imports from a package", () => {
  it("extends: org takes the package's defaults; org/prod takes its defaults, extends and block; then the local layers", async () => {
    const result = await compileIn(app());
    expect(errorLines(result)).toEqual([]);
    // The local defaults come first, so the imported chain overrides them; the environment's own block comes last.
    expect(headersOf(result, "dev")).toEqual({
      "X-Features": '{"agent_arch": "dual-llm"}',
      "X-Policy": POLICY_HEADER("standard"),
      "X-Config": '{"fsm": {"max_n_turns": 10}, "response_format": {"include_program": true}}',
    });
    expect(headersOf(result, "prod")).toEqual({
      "X-Features": '{"agent_arch": "dual-llm"}',
      "X-Policy": POLICY_HEADER("strict"),
      "X-Config": '{"fsm": {"max_n_turns": 3}, "response_format": {"include_program": true}}',
    });
    expect(result.compiled?.environments.map((e) => e.layers)).toEqual([
      ["defaults", "org/", "dev"],
      ["defaults", "org/", "org/staging", "org/prod", "prod"],
    ]);
  });

  it("takes each imported layer once, however many chains reach it", async () => {
    const result = await compileIn(app("imports: { org: '@acme/sequrity-baseline' }\nenvironments:\n  both: { extends: [org/staging, org/prod, org] }\n"));
    expect(result.compiled?.environments[0]?.layers).toEqual(["org/", "org/staging", "org/prod", "both"]);
  });

  it("reads the file the package.json `sequrity` field names instead of sequrity.config.yaml", async () => {
    const dir = app(APP, {
      [`${BASELINE}/package.json`]: '{ "name": "@acme/sequrity-baseline", "sequrity": "config/baseline.yaml" }\n',
      [`${BASELINE}/config/baseline.yaml`]: "environments:\n  prod: { policy: { mode: custom } }\n",
    });
    const result = await compileIn(dir, ["prod"]);
    expect(JSON.parse(headersOf(result, "prod")["X-Policy"] ?? "")).toEqual({ mode: "custom" });
  });

  it("finds the package in a parent folder's node_modules, as Node does", async () => {
    const dir = tempProject({ "apps/web/sequrity.config.yaml": APP, ...baseline() });
    const result = await compile({ cwd: path.join(dir, "apps/web"), configPath: "sequrity.config.yaml" });
    expect(errorLines(result)).toEqual([]);
    expect(result.inputFiles.map((f) => path.relative(dir, f))).toEqual([
      "apps/web/sequrity.config.yaml",
      `${BASELINE}/sequrity.config.yaml`,
      `${BASELINE}/policies/base.sqrt`,
    ]);
  });

  it("resolves the package's policy files inside its folder, its project root, and refuses one that leaves it", async () => {
    const config = BASELINE_CONFIG.replace("policies/base.sqrt", "../../../policies/app.sqrt");
    const dir = tempProject({ "sequrity.config.yaml": APP, ...baseline(BASELINE, config), "policies/app.sqrt": BASE_SQRT });
    expect(errorLines(await compileIn(dir))).toEqual([
      `${BASELINE}/sequrity.config.yaml:6:20: error: policy file ../../../policies/app.sqrt is outside the project root ${path.join(dir, BASELINE)}; only files inside the project are read (environments dev, prod)`,
    ]);
  });

  it("locates errors in the imported file and fails only the environments that use it", async () => {
    const dir = app(APP.replace("  dev:\n    extends: org\n", "  dev: {}\n"), baseline(BASELINE, BASELINE_CONFIG.replace("max_n_turns: 8", "max_n_turns: 0")));
    const result = await compileIn(dir);
    expect(errorLines(result)).toEqual([
      `${BASELINE}/sequrity.config.yaml:10:35: error: environments.staging.config.fsm.max_n_turns: must be at least 1, got the number 0 (environment prod)`,
    ]);
    expect(errorLines(await compileIn(dir, ["dev"]))).toEqual([]);
  });

  it("names the imported file in explain", async () => {
    const r = await runCli(["explain", "-e", "prod", "policy.mode"], app());
    expect(r.stdout).toBe(`policy.mode = "strict"    (${BASELINE}/sequrity.config.yaml:13:21)\n`);
  });
});

describe("a baseline in a workspace package", () => {
  it("is found through the node_modules link and read at its real path, which is its project root", async () => {
    const dir = tempProject({ "sequrity.config.yaml": APP, ...baseline("packages/baseline") });
    mkdirSync(path.join(dir, "node_modules/@acme"), { recursive: true });
    symlinkSync("../../packages/baseline", path.join(dir, BASELINE), "dir");
    const result = await compileIn(dir);
    expect(errorLines(result)).toEqual([]);
    expect(headersOf(result, "prod")["X-Policy"]).toBe(POLICY_HEADER("strict"));
    expect([...result.sources.keys()]).toEqual(["sequrity.config.yaml", "packages/baseline/sequrity.config.yaml", "packages/baseline/policies/base.sqrt"]);
  });
});

describe("imports of other configs", () => {
  it("reads a relative path from the importing config's folder; a package's own imports resolve from the package", async () => {
    const team = "node_modules/@acme/team-baseline";
    const dir = tempProject({
      "sequrity.config.yaml":
        "imports:\n  shared: ./shared/base.yaml\n  team: '@acme/team-baseline'\nenvironments:\n  prod: { extends: [shared/prod, team/prod] }\n",
      "shared/base.yaml": "imports:\n  org: '@acme/sequrity-baseline'\nenvironments:\n  prod: { extends: org/prod, config: { fsm: { max_n_turns: 5 } } }\n",
      [`${team}/sequrity.config.yaml`]:
        "imports:\n  org: '@acme/sequrity-baseline'\nenvironments:\n  prod: { extends: org/staging, features: { agent_arch: single-llm } }\n",
      ...baseline(),
    });
    const result = await compileIn(dir);
    expect(errorLines(result)).toEqual([]);
    // The baseline is one config, imported twice: its blocks are taken once, named by the first import.
    expect(result.compiled?.environments[0]?.layers).toEqual([
      "shared/",
      "shared/org/",
      "shared/org/staging",
      "shared/org/prod",
      "shared/prod",
      "team/",
      "team/prod",
      "prod",
    ]);
    expect(headersOf(result, "prod")["X-Features"]).toBe('{"agent_arch": "single-llm"}');
    expect(headersOf(result, "prod")["X-Config"]).toBe('{"fsm": {"max_n_turns": 5}}');
  });
});

describe("import errors", () => {
  const errorsOf = async (config: string, extra: Record<string, string> = {}) => errorLines(await compileIn(app(config, extra)));

  it("a missing package, at the import", async () => {
    expect(await errorsOf("imports:\n  org: '@acme/missing'\nenvironments:\n  prod: { extends: org/prod }\n")).toEqual([
      `sequrity.config.yaml:2:8: error: cannot find package "@acme/missing" from . (looked in node_modules there and in every folder above); install it, e.g. npm install @acme/missing (environment prod)`,
    ]);
  });

  it("a package that ships no config", async () => {
    expect(
      await errorsOf("imports:\n  org: '@acme/empty'\nenvironments:\n  prod: { extends: org }\n", {
        "node_modules/@acme/empty/package.json": '{ "name": "@acme/empty" }\n',
      }),
    ).toEqual([
      `sequrity.config.yaml:2:8: error: package @acme/empty (node_modules/@acme/empty) has no sequrity.config.yaml at its root, and its package.json names no config file in a "sequrity" field (environment prod)`,
    ]);
  });

  it("an import cycle, at the import that closes it", async () => {
    expect(
      await errorsOf("imports:\n  b: ./b.yaml\nenvironments:\n  prod: { extends: b/prod }\n", {
        "b.yaml": "imports:\n  a: ./sequrity.config.yaml\nenvironments:\n  prod: { extends: a }\n",
      }),
    ).toEqual(["b.yaml:2:6: error: imports form a cycle: sequrity.config.yaml -> b.yaml -> sequrity.config.yaml (environment prod)"]);
  });

  it("an environment the imported config does not define, at the extends entry", async () => {
    expect(await errorsOf("imports: { org: '@acme/sequrity-baseline' }\nenvironments:\n  prod: { extends: [org/stagign] }\n")).toEqual([
      `sequrity.config.yaml:3:21: error: \`extends\` names "org/stagign", but ${BASELINE}/sequrity.config.yaml (imported as org) defines no environment "stagign"; it defines: staging, prod (environment prod)`,
    ]);
  });

  it("an alias the config does not import", async () => {
    expect(await errorsOf("imports: { org: '@acme/sequrity-baseline' }\nenvironments:\n  prod: { extends: ogr/prod }\n")).toEqual([
      'sequrity.config.yaml:3:20: error: `extends` names "ogr/prod", but this config imports nothing as "ogr"; its imports are org (environment prod)',
    ]);
  });

  it("an alias that is also an environment name", async () => {
    expect(await errorsOf("imports: { org: '@acme/sequrity-baseline' }\nenvironments:\n  org: {}\n  prod: { extends: org/prod }\n")).toEqual([
      'sequrity.config.yaml:1:12: error: import alias "org" is also an environment of this config, so `extends: org` would name both; rename one of them (environment prod)',
    ]);
  });

  it("problems inside the imported config, located there: an extends cycle, an unknown environment, a YAML error with its code frame", async () => {
    const looped = "environments:\n  a: { extends: b }\n  b: { extends: a }\n  c: { extends: nope }\n";
    expect(
      await errorsOf(
        "imports: { org: '@acme/sequrity-baseline' }\nenvironments:\n  x: { extends: org/a }\n  y: { extends: org/c }\n",
        baseline(BASELINE, looped),
      ),
    ).toEqual([
      `${BASELINE}/sequrity.config.yaml:3:17: error: \`extends\` forms a cycle: a -> b -> a (in the config imported as org) (environment x)`,
      `${BASELINE}/sequrity.config.yaml:4:17: error: \`extends\` names unknown environment "nope" (chain: c -> nope; known: a, b, c) (environment y)`,
    ]);
    const result = await compileIn(app(APP, { [`${BASELINE}/sequrity.config.yaml`]: "environments:\n  prod: {}\n  prod: {}\n" }));
    expect(formatDiagnostics(result.diagnostics, { sources: result.sources })).toBe(
      [
        `${BASELINE}/sequrity.config.yaml:3:3: error: duplicate key "prod" (first written at line 2) (environments dev, prod)`,
        "  3 |   prod: {}",
        "    |   ^^^^",
      ].join("\n"),
    );
  });

  it("an extends entry with more than one slash says what it may be", async () => {
    expect(
      await errorsOf("imports: { org: ./base.yaml }\nenvironments:\n  prod: { extends: org/base/prod }\n", { "base.yaml": "environments:\n  prod: {}\n" }),
    ).toEqual([
      'sequrity.config.yaml:3:20: error: environments.prod.extends: the string "org/base/prod" is not an environment name or ALIAS/ENVIRONMENT (letters, digits, _ and -, starting with a letter or _) (environment prod)',
    ]);
  });

  it("a JS or TS config, which importing never runs", async () => {
    expect(
      await errorsOf("imports: { js: ./base.config.mjs }\nenvironments:\n  prod: { extends: js }\n", { "base.config.mjs": "export default {};\n" }),
    ).toEqual([
      "sequrity.config.yaml:1:16: error: cannot import base.config.mjs: it is a JS or TS config, and importing never runs code; ship the config as YAML or JSON (environment prod)",
    ]);
  });

  it("a spec that is neither a relative path nor a package name, by the schema; a path outside the project, at the import", async () => {
    expect(await errorsOf("imports: { up: ../up.yaml, abs: /etc/base.yaml }\nenvironments:\n  prod: { extends: up }\n", {})).toEqual([
      'sequrity.config.yaml:1:33: error: imports.abs: the string "/etc/base.yaml" is not an npm package name (lowercase, optionally @scope/name) or a path starting with ./ or ../',
    ]);
    const dir = tempProject({
      "project/sequrity.config.yaml": "imports: { up: ../up.yaml }\nenvironments:\n  prod: { extends: up }\n",
      "up.yaml": "environments: {}\n",
    });
    expect(errorLines(await compile({ cwd: path.join(dir, "project"), configPath: "sequrity.config.yaml" }))).toEqual([
      `sequrity.config.yaml:1:16: error: config file ../up.yaml is outside the project root ${path.join(dir, "project")}; only files inside the project are read (environment prod)`,
    ]);
  });
});
