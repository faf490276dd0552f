/** The library surface: what src/index.ts exports, used the way a caller would (through the package entry). */
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { compileYaml } from "../helpers.js";

const CONFIG = `version: 1
defaults:
  config: { fsm: { max_n_turns: 5 } }
  policy:
    codes: { code: 'tool "send_email" { hard deny when to.value in {str like w"*@x.io"}; }' }
environments:
  dev: {}
  prod:
    config:
      fsm: { max_n_turns: 3 }
      $overrides: { fsm: { retries: 2.0 } }
`;

describe("compile()'s result", () => {
  it("holds compiled, diagnostics, sources and inputFiles, and nothing internal", async () => {
    const result = await compileYaml(CONFIG);
    expect(Object.keys(result).sort()).toEqual(["compiled", "diagnostics", "dir", "inputFiles", "sources"]);
  });
});

describe("a compiled environment", () => {
  it("has name, headers, sections, layers in that order; sections are the headers parsed back, and can be replaced", async () => {
    const result = await compileYaml(CONFIG);
    const dev = result.compiled?.environments[0];
    if (!dev) throw new Error("dev did not compile");
    expect(Object.keys(dev)).toEqual(["name", "headers", "sections", "layers"]);
    expect(dev.sections.config).toEqual(JSON.parse(dev.headers["X-Config"] as string));
    expect(JSON.parse(JSON.stringify(dev)).sections.config).toEqual({ fsm: { max_n_turns: 5 } });
    dev.sections = { config: { replaced: true } };
    expect(dev.sections).toEqual({ config: { replaced: true } });
  });
});

describe("inputFiles", () => {
  it("lists a config that was found but does not load, and an imported config that does not parse", async () => {
    const broken = await compileYaml("version: 1\nenvironments: [\n");
    expect(broken.inputFiles).toEqual([path.join(broken.dir, "sequrity.config.yaml")]);
    const importing = await compileYaml("version: 1\nimports: { base: ./base.yaml }\nenvironments:\n  dev: { extends: base }\n", {
      "base.yaml": "environments: [\n",
    });
    expect(importing.inputFiles).toEqual([path.join(importing.dir, "sequrity.config.yaml"), path.join(importing.dir, "base.yaml")]);
  });
});

describe("inspecting a compiled config", () => {
  it("definedEnvironments lists every environment with the place of its key, selected with -e or not", async () => {
    const result = await compileYaml(CONFIG, {}, ["prod"]);
    expect(api.definedEnvironments(result).map((e) => [e.name, e.location.line, e.location.column])).toEqual([
      ["dev", 7, 3],
      ["prod", 8, 3],
    ]);
  });

  it("effectiveSections gives the values as sent: pyDumps of a section is its header, byte for byte", async () => {
    const result = await compileYaml(CONFIG);
    const prod = result.compiled?.environments.find((e) => e.name === "prod");
    const sections = api.effectiveSections(result, "prod");
    expect(sections?.config && api.pyDumps(sections.config)).toBe(prod?.headers["X-Config"]);
    expect(sections?.policy && api.pyDumps(sections.policy)).toBe(prod?.headers["X-Policy"]);
    expect(api.effectiveSections(result, "staging")).toBeUndefined();
  });

  it("valueSources names the layer that set each value, and $overrides as the source of what it sets", async () => {
    const result = await compileYaml(CONFIG);
    const lines = api
      .valueSources(result, "prod", "config")
      .map((s) => `${s.field}=${JSON.stringify(s.value)}@${s.location.line}:${s.location.column}${s.override ? " override" : ""}`);
    expect(lines).toEqual(['config.fsm.max_n_turns={"kind":"scalar","value":3}@10:27', 'config.fsm.retries={"kind":"scalar","value":2}@11:37 override']);
    expect(api.valueSources(result, "dev", "config.fsm.max_n_turns").map((s) => s.location.line)).toEqual([3]);
    expect(api.valueSources(result, "dev", "config.nothing")).toEqual([]);
  });

  it("policySource maps an offset of the checked code back into the YAML", async () => {
    const result = await compileYaml(CONFIG);
    const source = api.policySource(result, "dev");
    const offset = source?.code.indexOf("send_email") ?? -1;
    expect(source?.locate(offset)).toMatchObject({ file: "sequrity.config.yaml", line: 5, column: 27 });
  });

  it("a result compile() did not return, such as a copy, is refused with a TypeError", async () => {
    const copy = { ...(await compileYaml(CONFIG)) };
    const message = "not a result compile() returned: pass the object it returned, not a copy ({ ...result } loses what it knows)";
    expect(() => api.definedEnvironments(copy)).toThrow(new TypeError(message));
    expect(() => api.effectiveSections(copy, "dev")).toThrow(message);
    expect(() => api.valueSources(copy, "dev")).toThrow(message);
    expect(() => api.policySource(copy, "dev")).toThrow(message);
  });

  it("a result compiled with inspect: false keeps nothing to inspect, and says so", async () => {
    const dir = (await compileYaml(CONFIG)).dir;
    const result = await api.compile({ cwd: dir, configPath: "sequrity.config.yaml", inspect: false });
    expect(result.compiled?.environments.map((e) => e.name)).toEqual(["dev", "prod"]);
    expect(() => api.valueSources(result, "dev")).toThrow(new TypeError("this result was compiled with { inspect: false }, which keeps nothing to inspect"));
  });
});

describe("pyDumps on plain values", () => {
  it("writes JSON.parse output as Python's json.dumps does: integers as ints, other numbers as floats", () => {
    // python3 -c 'import json; print(json.dumps({"a": 1, "b": 1.5, "c": [True, None], "d": "é", "e": 1e-7, "50256": {}}))'
    expect(api.pyDumps(JSON.parse('{"a": 1, "b": 1.5, "c": [true, null], "d": "é", "e": 1e-7, "50256": {}}'))).toBe(
      '{"50256": {}, "a": 1, "b": 1.5, "c": [true, null], "d": "\\u00e9", "e": 1e-07}',
    );
  });

  it("PyFloat writes an integral float; a Map keeps integer-like keys in their order; indent pretty-prints", () => {
    expect(api.pyDumps(new api.PyFloat(1))).toBe("1.0");
    expect(
      api.pyDumps(
        new Map([
          ["2", 1],
          ["1", 2],
        ]),
      ),
    ).toBe('{"2": 1, "1": 2}');
    expect(api.pyDumps({ a: [1, { b: [] }] }, { indent: 2 })).toBe('{\n  "a": [\n    1,\n    {\n      "b": []\n    }\n  ]\n}');
    expect(api.pyDumps(2n ** 64n)).toBe("18446744073709551616");
  });

  it("refuses what has no exact JSON form, with a message saying what to pass instead", () => {
    expect(() => api.pyDumps(2 ** 53)).toThrow(
      "9007199254740992 is beyond 2^53 - 1, so it may not be the integer meant: pass a bigint for an exact int, or a PyFloat for a float",
    );
    expect(() => api.pyDumps(Number.NaN)).toThrow("non-finite numbers have no JSON form");
    expect(() => api.pyDumps({ a: undefined } as never)).toThrow("undefined has no JSON form");
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    expect(() => api.pyDumps([, 1] as never)).toThrow("undefined has no JSON form");
    expect(() => api.pyDumps({ at: new Date(0) } as never)).toThrow("Date has no JSON form: pass plain objects, arrays, Maps and PyFloats");
  });
});
