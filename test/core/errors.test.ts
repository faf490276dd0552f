// The catalogue of user mistakes: each gives exactly the located messages below, and no output.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { formatDiagnostics } from "../../src/diagnostics/index.js";
import { compileYaml, errorLines, headersOf, tempProject } from "../helpers.js";

const F = "sequrity.config.yaml";

async function errorsOf(yaml: string, extra: Record<string, string> = {}, envs: string[] = []): Promise<string[]> {
  const result = await compileYaml(yaml, extra, envs);
  expect(result.compiled).toBeUndefined();
  return errorLines(result);
}

describe("error catalogue", () => {
  it("YAML syntax error, reported once", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  dev:\n    features: {agent_arch: [\n")).toEqual([
      `${F}:5:1: error: flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  it("duplicate keys", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  dev:\n    features:\n      agent_arch: dual-llm\n      agent_arch: single-llm\n")).toEqual([
      `${F}:6:7: error: duplicate key "agent_arch" (first written at line 5)`,
    ]);
  });

  it("unknown keys, wrong types, values under a minimum, strings where numbers belong: all at once", async () => {
    const yaml = [
      "version: 1",
      "environments:",
      "  dev:",
      "    features:",
      "      agent_arc: dual-llm",
      "    config:",
      "      fsm:",
      '        max_n_turns: "5"',
      "        min_num_tools_for_filtering: 1",
      "        disable_rllm: yes",
      "",
    ].join("\n");
    expect(await errorsOf(yaml)).toEqual([
      `${F}:5:7: error: unknown key "agent_arc" in environments.dev.features (did you mean "agent_arch"?) (environment dev)`,
      `${F}:8:22: error: environments.dev.config.fsm.max_n_turns: expected an integer, got the string "5" (environment dev)`,
      `${F}:9:38: error: environments.dev.config.fsm.min_num_tools_for_filtering: must be at least 2, got the number 1 (environment dev)`,
      `${F}:10:23: error: environments.dev.config.fsm.disable_rllm: expected a boolean (true or false), got the string "yes" (environment dev)`,
    ]);
  });

  it("unknown directive and directive on the wrong kind of value", async () => {
    const yaml =
      'version: 1\ndefaults:\n  policy:\n    codes:\n      code: {$apend: "x"}\nenvironments:\n  dev:\n    features:\n      agent_arch: {$append: [1]}\n';
    expect(await errorsOf(yaml)).toEqual([
      `${F}:5:14: error: unknown directive $apend (did you mean $append?) (environment dev)`,
      `${F}:9:20: error: environments.dev.features.agent_arch: the directive $append does not apply to this field (environment dev)`,
    ]);
  });

  it("a directive meeting a value of the wrong kind after merging", async () => {
    const yaml = "version: 1\nenvironments:\n  a:\n    config:\n      fsm:\n        force_to_cache: {$append: ['x']}\n        $overrides: {}\n";
    // $overrides inside fsm is not a section key: the file schema refuses it.
    expect(await errorsOf(yaml)).toEqual([`${F}:7:9: error: unknown key "$overrides" in environments.a.config.fsm (environment a)`]);
  });

  it("a list where a mapping belongs", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  prod:\n    config:\n      fsm: [1, 2]\n")).toEqual([
      `${F}:5:12: error: environments.prod.config.fsm: expected a mapping, got a list (environment prod)`,
    ]);
  });

  it("missing policy file, and both code and file in one layer", async () => {
    const yaml =
      "version: 1\nenvironments:\n  dev:\n    policy:\n      codes:\n        file: policies/missing.sqrt\n  prod:\n    policy:\n      codes:\n        code: x\n        file: y.sqrt\n";
    expect(await errorsOf(yaml)).toEqual([
      `${F}:6:15: error: cannot read policy file policies/missing.sqrt: not found (environment dev)`,
      `${F}:11:9: error: policy.codes takes only one of \`code\`, \`file\`, \`files\` in a layer; found code and file (environment prod)`,
    ]);
  });

  it("__proto__ keys", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  dev:\n    __proto__: {}\n")).toEqual([`${F}:4:5: error: the key __proto__ is not allowed`]);
  });

  it("unsupported version", async () => {
    expect(await errorsOf("version: 2\nenvironments:\n  dev: {}\n")).toEqual([`${F}:1:10: error: version: expected 1, got the number 2`]);
  });

  it("empty and binary files", async () => {
    expect(await errorsOf("")).toEqual([`${F}:1:1: error: the config file is empty; it needs at least \`environments:\``]);
    expect(await errorsOf("# only a comment\n")).toEqual([`${F}:1:1: error: the config file has no content; it needs at least \`environments:\``]);
    const dir = tempProject({});
    writeFileSync(path.join(dir, F), Buffer.from([0, 1, 2, 0x41]));
    const result = await compile({ cwd: dir, configPath: F });
    expect(errorLines(result)).toEqual([`${F}: error: config file ${F} is a binary file, not text`]);
  });

  it("a list where the whole config belongs", async () => {
    expect(await errorsOf("- a\n- b\n")).toEqual([`${F}:1:1: error: the config file must be a mapping with \`version\` and \`environments\` keys`]);
  });

  it("unknown environment given to -e", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  dev: {}\n  prod: {}\n", {}, ["staging"])).toEqual([
      `error: unknown environment "staging"; ${F} defines: dev, prod`,
    ]);
  });

  it("with -e, problems in blocks the chosen environments do not use are not reported", async () => {
    const yaml =
      "version: 1\nenvironments:\n  base: {}\n  prod:\n    extends: base\n  qa:\n    features: {agent_arc: x}\n    policy: {codes: {file: missing.sqrt}}\n";
    const result = await compileYaml(yaml, {}, ["prod"]);
    expect(errorLines(result)).toEqual([]);
    expect(result.compiled?.environments.map((e) => e.name)).toEqual(["prod"]);
    expect(await errorsOf(yaml, {}, ["qa"])).toEqual([
      `${F}:7:16: error: unknown key "agent_arc" in environments.qa.features (did you mean "agent_arch"?) (environment qa)`,
    ]);
  });

  it("missing config file", async () => {
    const dir = tempProject({});
    const result = await compile({ cwd: dir, configPath: "nope.yaml" });
    expect(errorLines(result)).toEqual(["error: cannot read config file nope.yaml: not found"]);
  });

  it("no config to discover", async () => {
    const dir = tempProject({ "package.json": "{}" });
    const result = await compile({ cwd: dir });
    expect(errorLines(result)[0]).toMatch(/^error: no sequrity config found in .* run `sequrity-config init` or pass -c FILE$/);
  });

  it("extends cycles (once, naming every environment) and unknown names with the chain", async () => {
    const yaml = "version: 1\nenvironments:\n  a:\n    extends: b\n  b:\n    extends: [c]\n  c:\n    extends: a\n  d:\n    extends: nope\n";
    expect(await errorsOf(yaml)).toEqual([
      `${F}:8:14: error: \`extends\` forms a cycle: a -> b -> c -> a (environments a, b, c)`,
      `${F}:10:14: error: \`extends\` names unknown environment "nope" (chain: d -> nope; known: a, b, c, d) (environment d)`,
    ]);
  });

  it("billion laughs fails fast", async () => {
    const levels = ["a: &a [1,1,1,1,1,1,1,1,1,1]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill("*" + prev)
          .join(",")}]`,
      );
    }
    const lines = await errorsOf(levels.join("\n") + "\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/error: YAML aliases expand to more than 100000 nodes/);
  });

  it("integers past 2^53 - 1 in schema fields are refused, naming the real limit; never rounded", async () => {
    const seed = (n: string) => `version: 1\nenvironments:\n  dev:\n    config:\n      llm:\n        pllm:\n          seed: ${n}\n`;
    expect(await errorsOf(seed("123456789012345678901"))).toEqual([
      `${F}:7:17: error: environments.dev.config.llm.pllm.seed: the integer 123456789012345678901 is above 9007199254740991 (2^53 - 1), the largest integer this tool carries exactly; refusing to round it (environment dev)`,
    ]);
    // 2^53 itself is where doubles start skipping integers.
    expect(await errorsOf(seed("9007199254740992"))).toEqual([
      `${F}:7:17: error: environments.dev.config.llm.pllm.seed: the integer 9007199254740992 is above 9007199254740991 (2^53 - 1), the largest integer this tool carries exactly; refusing to round it (environment dev)`,
    ]);
    expect(await errorsOf(seed("-9007199254740992"))).toEqual([
      `${F}:7:17: error: environments.dev.config.llm.pllm.seed: the integer -9007199254740992 is below -9007199254740991 (-(2^53 - 1)), the smallest integer this tool carries exactly; refusing to round it (environment dev)`,
    ]);
    expect(headersOf(await compileYaml(seed("9007199254740991")), "dev")["X-Config"]).toBe('{"llm": {"pllm": {"seed": 9007199254740991}}}');
  });

  it("non-finite numbers are refused", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  dev:\n    config:\n      llm:\n        pllm:\n          temperature: .inf\n")).toEqual([
      `${F}:7:24: error: .inf is not a finite number; JSON headers cannot carry it`,
    ]);
  });

  it("schema errors in one environment do not hide the problems of the others", async () => {
    const yaml = [
      "version: 1",
      "environments:",
      "  dev:",
      "    features: {agent_arc: dual-llm}",
      "  prod:",
      "    policy:",
      "      codes: {code: 'let x = ;'}",
      "",
    ].join("\n");
    expect(await errorsOf(yaml)).toEqual([
      `${F}:4:16: error: unknown key "agent_arc" in environments.dev.features (did you mean "agent_arch"?) (environment dev)`,
      `${F}:7:30: error: expected a predicate or a set expression, found ';' (environment prod)`,
    ]);
  });

  it("a missing policy file does not hide the problems of other environments", async () => {
    const yaml = "version: 1\nenvironments:\n  a:\n    policy: {codes: {file: nope.sqrt}}\n  b:\n    policy: {codes: {code: 'let x = ;'}}\n";
    expect(await errorsOf(yaml)).toEqual([
      `${F}:4:28: error: cannot read policy file nope.sqrt: not found (environment a)`,
      `${F}:6:37: error: expected a predicate or a set expression, found ';' (environment b)`,
    ]);
  });

  it("an enum given a value of the wrong type is reported once", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  a:\n    features: {agent_arch: 5}\n")).toEqual([
      `${F}:4:28: error: environments.a.features.agent_arch: the number 5 is not allowed; expected one of "single-llm", "dual-llm" (environment a)`,
    ]);
  });

  it("$overrides cannot put tool keys ($...) into a header", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  a:\n    features: {$overrides: {$foo: 1}}\n")).toEqual([
      `${F}:4:29: error: $overrides cannot set "$foo": keys starting with $ never reach a header (environment a)`,
    ]);
  });

  it("keys starting with $ inside map-valued fields are refused at the key; alone they are a directive", async () => {
    const yaml =
      'version: 1\nenvironments:\n  a:\n    config:\n      llm: {pllm: {logit_bias: {"$x": 1, "13": 5}}}\n      prompt: {pllm: {query_role_name_overrides: {$only: b}}}\n';
    expect(await errorsOf(yaml)).toEqual([
      `${F}:5:33: error: environments.a.config.llm.pllm.logit_bias: the key "$x" is reserved: keys starting with $ are the tool's own and never reach a header (environment a)`,
      `${F}:6:51: error: unknown directive $only; directives are $append, $prepend, $remove, $merge, $replace (environment a)`,
    ]);
    const result = await compileYaml(yaml);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["reserved-key", "bad-directive"]);
  });

  it("an environment named with a $ gets the environment-name message, not the reserved-key one", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  $dev: {}\n")).toEqual([
      `${F}:3:3: error: environments: the name "$dev" is not allowed; use letters, digits, _ and - (starting with a letter or _)`,
    ]);
  });

  it("load errors come with a code frame", async () => {
    const result = await compileYaml("version: 1\nenvironments:\n  a: {}\n  a: {}\n");
    expect(formatDiagnostics(result.diagnostics, { sources: result.sources })).toBe(
      [`${F}:4:3: error: duplicate key "a" (first written at line 3)`, "  4 |   a: {}", "    |   ^"].join("\n"),
    );
  });

  it("a missing required key after merging points at the item", async () => {
    expect(await errorsOf("version: 1\nenvironments:\n  dev:\n    features:\n      content_classifiers:\n        - threshold: 0.5\n")).toEqual([
      `${F}:6:11: error: environments.dev.features.content_classifiers[0]: missing required key "name" (environment dev)`,
    ]);
  });

  it("an error in a shared layer is reported once, in the layer that wrote it", async () => {
    const yaml = "version: 1\ndefaults:\n  config:\n    fsm:\n      max_n_turns: 0\nenvironments:\n  dev: {}\n  prod: {}\n";
    expect(await errorsOf(yaml)).toEqual([`${F}:5:20: error: defaults.config.fsm.max_n_turns: must be at least 1, got the number 0 (environments dev, prod)`]);
  });

  it("an error that appears only after merging names the environment and points at the later layer", async () => {
    const yaml = [
      "version: 1",
      "environments:",
      "  base:",
      "    features:",
      "      content_classifiers: [{name: pii_redaction}]",
      "  prod:",
      "    extends: base",
      "    features:",
      "      content_classifiers:",
      "        $merge: [{name: toxicity_filter, mode: strict}]",
      "",
    ].join("\n");
    const result = await compileYaml(yaml);
    expect(result.compiled?.environments.find((e) => e.name === "prod")?.headers["X-Features"]).toBe(
      '{"content_classifiers": [{"name": "pii_redaction", "threshold": 0.5}, {"name": "toxicity_filter", "threshold": 0.5, "mode": "strict"}]}',
    );
  });
});

describe("environment names", () => {
  it("a name that cannot be a file or type name is reported once, at its key", async () => {
    const result = await compileYaml("version: 1\nenvironments:\n  dev: {}\n  a b: {}\n");
    expect(errorLines(result)).toEqual([
      'sequrity.config.yaml:4:3: error: environments: the name "a b" is not allowed; use letters, digits, _ and - (starting with a letter or _)',
    ]);
  });

  it("a bad name does not hide the other environments' problems, nor those of the ones built on it", async () => {
    const result = await compileYaml(
      'version: 1\nenvironments:\n  "a b": {}\n  c: {extends: "a b"}\n  dev: {policy: {codes: {code: "tool \\"t\\" { hard deny when x; }"}}}\n',
    );
    expect(result.diagnostics.map((d) => [d.code, d.location?.line, d.environments])).toEqual([
      ["invalid-value", 3, ["c"]],
      ["invalid-value", 4, ["c"]],
      ["undefined-name", 5, ["dev"]],
    ]);
  });
});

describe("directives where they cannot go", () => {
  it("a directive no branch of the field takes is one message at it, not the plain branch reading it as data", async () => {
    const result = await compileYaml('version: 1\nenvironments:\n  dev:\n    config: {llm: {pllm: {logit_bias: {$append: ["1"]}}}}\n');
    expect(errorLines(result)).toEqual([
      "sequrity.config.yaml:4:40: error: environments.dev.config.llm.pllm.logit_bias: the directive $append does not apply to this field (environment dev)",
    ]);
  });

  it("two directives in one mapping are one message naming both", async () => {
    const result = await compileYaml(
      "version: 1\nenvironments:\n  dev:\n    features: {content_classifiers: {$append: [{name: pii_redaction}], $prepend: [{name: toxicity_filter}]}}\n",
    );
    expect(errorLines(result)).toEqual([
      "sequrity.config.yaml:4:38: error: environments.dev.features.content_classifiers: a mapping holds one directive, but this one has $append and $prepend; keep one ($replace writes the whole value) (environment dev)",
    ]);
  });

  it("errors inside a directive the field takes are kept as they are", async () => {
    const result = await compileYaml("version: 1\nenvironments:\n  dev:\n    features: {content_classifiers: {$append: [{name: nope}]}}\n");
    expect(errorLines(result)[0]).toMatch(
      /^sequrity\.config\.yaml:4:55: error: environments\.dev\.features\.content_classifiers\.\$append\[0\]\.name: the string "nope" is not allowed/,
    );
  });
});

describe("union values", () => {
  it("extends: [prod, 3] is one error, at the item: the list was meant, not a string", async () => {
    const result = await compileYaml("version: 1\nenvironments:\n  prod: {}\n  dev: {extends: [prod, 3]}\n");
    expect(errorLines(result)).toEqual([
      "sequrity.config.yaml:4:25: error: environments.dev.extends[1]: expected a string, got the number 3 (environment dev)",
    ]);
  });
});

describe("extends problems next to schema errors", () => {
  it("an unknown extends is still reported when another block fails the schema", async () => {
    const yaml = "version: 1\nenvironments:\n  a:\n    features: {agent_arc: x}\n  b:\n    extends: nope\n";
    expect(await errorsOf(yaml)).toEqual([
      `${F}:4:16: error: unknown key "agent_arc" in environments.a.features (did you mean "agent_arch"?) (environment a)`,
      `${F}:6:14: error: \`extends\` names unknown environment "nope" (chain: b -> nope; known: a, b) (environment b)`,
    ]);
  });
});
