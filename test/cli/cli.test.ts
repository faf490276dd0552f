// The commands as a user runs them, in-process through main(argv, io); bin.e2e.test.ts spawns the real bin.
import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../helpers.js";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "examples/sequrity.config.yaml");

const run = (args: string[], cwd = ROOT) => runCli(args, cwd);

describe("sequrity-config", () => {
  it("build -f json prints environment → headers in file order", async () => {
    const r = await run(["build", "-c", EXAMPLE]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, Record<string, string>>;
    expect(Object.keys(out)).toEqual(["dev", "staging", "prod"]);
    expect(Object.keys(out.prod ?? {})).toEqual(["X-Features", "X-Policy", "X-Config"]);
    expect(out.dev?.["X-Features"]).toBe('{"agent_arch": "dual-llm"}');
    expect(out.staging?.["X-Features"]).toBe('{"agent_arch": "dual-llm", "content_classifiers": [{"name": "pii_redaction", "threshold": 0.8}]}');
    expect(out.prod?.["X-Config"]).toBe(
      '{"fsm": {"clear_session_meta": "every_turn", "max_n_turns": 10}, "response_format": {"stream_thoughts": false, "include_program": false}, "llm": {"pllm": {"seed": 7, "temperature": 0.0}}}',
    );
  });

  it("-e limits the output to the named environments", async () => {
    const r = await run(["build", "-c", EXAMPLE, "-e", "prod", "-e", "dev"]);
    expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual(["dev", "prod"]);
  });

  it("validate discovers sequrity.config.yaml upward from the working directory, up to the project's package.json", async () => {
    const dir = tempProject({
      "package.json": "{}\n",
      "sequrity.config.yaml": "version: 1\nenvironments:\n  dev:\n    features: {agent_arch: single-llm}\n",
      "sub/deeper/.keep": "",
    });
    const r = await run(["validate"], path.join(dir, "sub/deeper"));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${path.join(dir, "sequrity.config.yaml")}: 1 environment valid (dev)\n`);
  });

  it("discovers the `sequrity` key of package.json and a .sequrityrc.json", async () => {
    const pkg = tempProject({ "package.json": JSON.stringify({ name: "x", sequrity: { environments: { ci: { features: { agent_arch: "dual-llm" } } } } }) });
    expect(JSON.parse((await run(["build"], pkg)).stdout)).toEqual({ ci: { "X-Features": '{"agent_arch": "dual-llm"}' } });
    const rc = tempProject({ ".sequrityrc.json": '{"environments": {"a": {"config": {"fsm": {"max_n_turns": 2}}}}}' });
    expect(JSON.parse((await run(["build"], rc)).stdout)).toEqual({ a: { "X-Config": '{"fsm": {"max_n_turns": 2}}' } });
  });

  it("loads JS configs through cosmiconfig", async () => {
    const dir = tempProject({ "sequrity.config.mjs": "export default { environments: { js: { features: { agent_arch: 'single-llm' } } } };\n" });
    expect(JSON.parse((await run(["build"], dir)).stdout)).toEqual({ js: { "X-Features": '{"agent_arch": "single-llm"}' } });
  });

  it("bad input: located errors on stderr, exit 1, nothing on stdout", async () => {
    const dir = tempProject({ "sequrity.config.yaml": "version: 1\nenvironments:\n  dev:\n    config:\n      fsm: {max_n_turns: 0}\n" });
    const r = await run(["build", "-f", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "sequrity.config.yaml:5:26: error: environments.dev.config.fsm.max_n_turns: must be at least 1, got the number 0 (environment dev)",
        "  5 |       fsm: {max_n_turns: 0}",
        "    |                          ^",
        "1 error; nothing written",
        "",
      ].join("\n"),
    );
  });

  it("print -e shows the effective sections; --header one of them", async () => {
    const r = await run(["print", "-c", EXAMPLE, "-e", "dev", "--header", "features"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{\n  "agent_arch": "dual-llm"\n}\n');
    const all = await run(["print", "-c", EXAMPLE, "-e", "prod"]);
    expect(Object.keys(JSON.parse(all.stdout) as object)).toEqual(["features", "policy", "config"]);
  });

  it("diff shows what differs between two environments, each change classified as review does", async () => {
    const r = await run(["diff", "-c", EXAMPLE, "dev", "staging"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "features.content_classifiers.pii_redaction: tightening",
        '  + staging: {"name": "pii_redaction", "threshold": 0.8}',
        "config.response_format.stream_thoughts: neutral",
        "  - dev: true",
        "  + staging: false",
        "",
      ].join("\n"),
    );
  });

  it("explain names the layer that set a value", async () => {
    const r = await run(["explain", "-c", EXAMPLE, "-e", "prod", "config.fsm.max_n_turns"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config\.fsm\.max_n_turns = 10 {4}\(examples\/sequrity\.config\.yaml:16:20\)\n$/);
  });

  it("explain takes the paths review and diff print: a named list item by its name, or by its index", async () => {
    for (const item of ["pii_redaction", "0"]) {
      const r = await run(["explain", "-c", EXAMPLE, "-e", "prod", `features.content_classifiers.${item}.threshold`]);
      expect([r.code, r.stdout]).toEqual([0, `features.content_classifiers.${item}.threshold = 0.8    (examples/sequrity.config.yaml:32:24)\n`]);
    }
  });

  it("schema -o writes the five schemas, identical to the shipped ones", async () => {
    const dir = tempProject({});
    const r = await run(["schema", "-o", path.join(dir, "out")]);
    expect(r.code).toBe(0);
    const names = readdirSync(path.join(dir, "out")).sort();
    expect(names).toEqual([
      "sequrity-config.schema.json",
      "sequrity-test.schema.json",
      "x-config.schema.json",
      "x-features.schema.json",
      "x-policy.schema.json",
    ]);
    for (const n of names) expect(readFileSync(path.join(dir, "out", n), "utf8")).toBe(readFileSync(path.join(ROOT, "schemas", n), "utf8"));
  });

  it("schema -o never writes through a link or over a file that is not one of its schemas, unless --force", async () => {
    const dir = tempProject({ "out/x-policy.schema.json": '{"mine": 1}\n', "victim.txt": "secret\n" });
    symlinkSync("../victim.txt", path.join(dir, "out/x-config.schema.json"));
    const r = await run(["schema", "-o", "out"], dir);
    expect([r.code, r.stderr.split("\n").filter((l) => l.includes(": error: "))]).toEqual([
      1,
      [
        "out/x-policy.schema.json: error: refusing to replace out/x-policy.schema.json: it was not generated by sequrity-config (not a JSON Schema whose $id starts with https://sequrity.ai/schemas/sequrity-config/); move it away, choose another -o, or pass --force to replace it",
        "out/x-config.schema.json: error: refusing to write out/x-config.schema.json: it is a symbolic link; pass --force to write to the file it points at",
      ],
    ]);
    expect(readdirSync(path.join(dir, "out")).sort()).toEqual(["x-config.schema.json", "x-policy.schema.json"]);
    expect(readFileSync(path.join(dir, "victim.txt"), "utf8")).toBe("secret\n");
    expect((await run(["schema", "-o", "out", "--force"], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, "out/x-policy.schema.json"), "utf8")).toBe(readFileSync(path.join(ROOT, "schemas/x-policy.schema.json"), "utf8"));
    rmSync(path.join(dir, "out/x-config.schema.json"));
    const again = await run(["schema", "-o", "out"], dir);
    expect([again.code, again.stderr]).toEqual([0, "schemas in out: 1 written, 4 unchanged\n"]);
  });

  it("init creates a valid starter project and never overwrites", async () => {
    const dir = tempProject({});
    const r = await run(["init"], dir);
    expect(r.code).toBe(0);
    const config = readFileSync(path.join(dir, "sequrity.config.yaml"), "utf8");
    expect(config.split("\n")[0]).toBe("# yaml-language-server: $schema=./node_modules/sequrity-config/schemas/sequrity-config.schema.json");
    expect(existsSync(path.join(dir, "policies/base.sqrt"))).toBe(true);
    expect((await run(["validate"], dir)).code).toBe(0);
    const built = JSON.parse((await run(["build"], dir)).stdout) as Record<string, unknown>;
    expect(Object.keys(built)).toEqual(["dev", "prod"]);

    writeFileSync(path.join(dir, "sequrity.config.yaml"), "# mine\n");
    const again = await run(["init"], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exist; init never overwrites/);
    expect(readFileSync(path.join(dir, "sequrity.config.yaml"), "utf8")).toBe("# mine\n");
  });

  it("init counts a dangling link as existing and a file named policies as in the way, and creates nothing", async () => {
    const linked = tempProject({});
    symlinkSync("nowhere.yaml", path.join(linked, "sequrity.config.yaml"));
    expect(await run(["init"], linked)).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: sequrity.config.yaml already exists; init never overwrites (nothing written)\n",
    });
    expect(readdirSync(linked)).toEqual(["sequrity.config.yaml"]);
    const blocked = tempProject({ policies: "" });
    expect(await run(["init"], blocked)).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: policies exists and is not a folder; init never overwrites (nothing written)\n",
    });
    expect(readdirSync(blocked)).toEqual(["policies"]);
  });

  it("-e given twice to a one-environment command, and -o given an empty string, are usage errors", async () => {
    for (const cmd of [["print"], ["explain"]]) {
      const r = await run([...cmd, "-c", EXAMPLE, "-e", "dev", "-e", "prod"]);
      expect([r.code, r.stderr.split("\n")[0]]).toEqual([
        2,
        "error: option '-e, --env <name>' argument 'prod' is invalid. This command shows one environment, but -e was given more than once (dev, then prod).",
      ]);
    }
    for (const args of [["build", "-c", EXAMPLE, "-f", "env", "-e", "prod"], ["test", "-c", EXAMPLE], ["schema"]]) {
      const r = await run([...args, "-o", ""]);
      expect([r.code, r.stderr.split("\n")[0]?.endsWith("-o needs a path, but it was given an empty string.")]).toEqual([2, true]);
    }
  });

  it("usage errors exit 2; --help exits 0 for every command", async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(["frobnicate"])).code).toBe(2);
    expect((await run(["build", "--format"])).code).toBe(2);
    expect((await run(["build", "-c", EXAMPLE, "-f", "xml"])).code).toBe(2);
    expect((await run(["print", "-c", EXAMPLE])).code).toBe(2);
    for (const cmd of [[], ["validate"], ["build"], ["print"], ["diff"], ["explain"], ["schema"], ["init"], ["policy", "check"], ["policy", "fmt"]]) {
      const r = await run([...cmd, "--help"]);
      expect(r.code, cmd.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/^Usage: sequrity-config/);
    }
  });
});

describe("promote", () => {
  const yaml = [
    "# team config",
    "version: 1",
    "environments:",
    "  staging:",
    "    policy:",
    "      mode: strict  # reviewed",
    "      codes: {file: p.sqrt}",
    "  prod:",
    "    # prod keeps its own mode for now",
    "    policy: {mode: standard}",
    "",
  ].join("\n");

  it("is a dry run by default, then --write makes TO send FROM's X-Policy, keeping comments", async () => {
    const dir = tempProject({ "sequrity.config.yaml": yaml, "p.sqrt": 'let a = {"x"};\n' });
    const dry = await run(["promote", "staging", "prod"], dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      [
        "X-Policy of prod would match staging:",
        "  policy.mode:",
        '    - "standard"',
        '    + "strict"',
        "  policy.codes.code:",
        '    + "let a = {\\"x\\"};\\n"',
        "  policy.codes.language:",
        '    + "sqrt"',
        "",
      ].join("\n"),
    );
    expect(readFileSync(path.join(dir, "sequrity.config.yaml"), "utf8")).toBe(yaml);

    expect((await run(["promote", "staging", "prod", "--write"], dir)).code).toBe(0);
    const edited = readFileSync(path.join(dir, "sequrity.config.yaml"), "utf8");
    expect(edited).toContain("# team config");
    expect(edited).toContain("# prod keeps its own mode for now");
    const built = JSON.parse((await run(["build"], dir)).stdout) as Record<string, Record<string, string>>;
    expect(built.prod?.["X-Policy"]).toBe(built.staging?.["X-Policy"]);
    expect((await run(["promote", "staging", "prod"], dir)).stderr).toBe("prod already sends the same X-Policy as staging; nothing to promote\n");
  });
});

describe("shipped policies", () => {
  it("the example's and init's policy files are valid and in canonical format", async () => {
    expect((await run(["policy", "fmt", "--check", "examples/policies/internal-docs.sqrt"])).code).toBe(0);
    const dir = tempProject({});
    expect((await run(["init"], dir)).code).toBe(0);
    expect((await run(["policy", "check", "policies/base.sqrt"], dir)).code).toBe(0);
    expect((await run(["policy", "fmt", "--check", "policies/base.sqrt"], dir)).code).toBe(0);
  });
});

describe("policy check", () => {
  it("checks SQRT and Cedar files; --format json gives one entry per file", async () => {
    const dir = tempProject({
      "ok.sqrt": 'let a = {"x"};\n',
      "bad.sqrt": "let a = ;\n",
      "bad.cedar": "permit(principal, action, resource) when { principal.level > };\n",
    });
    const r = await run(["policy", "check", "--format", "json", "ok.sqrt", "bad.sqrt", "bad.cedar"], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { file: string; valid: boolean; errors: { line: number; column: number; message: string }[] }[];
    expect(out.map((e) => [e.file, e.valid, e.errors.map((x) => [x.line, x.column])])).toEqual([
      ["ok.sqrt", true, []],
      ["bad.sqrt", false, [[1, 9]]],
      ["bad.cedar", false, [[1, 62]]],
    ]);
  });
});
