// A JS/TS config's default export is taken only when it is JSON-like (docs/config-file.md, "JSON and
// JavaScript configs"): any other value is an error naming its field path, never silently changed.
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../helpers.js";

/** `build -f json` on a sequrity.config.mjs (or another name) holding `text`. */
async function build(text: string, name = "sequrity.config.mjs") {
  return runCli(["build", "-f", "json", "-c", name], tempProject({ [name]: text }));
}

/** A config whose dev environment's X-Config carries `overrides` verbatim ($overrides takes any JSON). */
const withOverrides = (overrides: string, before = "") => `${before}export default { environments: { dev: { config: { $overrides: ${overrides} } } } };\n`;

const failed = (...lines: string[]) => ({
  code: 1,
  stdout: "",
  stderr: [...lines, `${lines.length} error${lines.length === 1 ? "" : "s"}; nothing written`, ""].join("\n"),
});

const F = "sequrity.config.mjs: error: environments.dev.config.$overrides";
const ONLY = "only plain objects, arrays, strings, numbers, bigints, booleans and null can";

describe("values of a JS config", () => {
  it("a Date, a RegExp, an Error, a Map, a typed array, a boxed string and a class instance are errors at their field paths, all at once", async () => {
    const r = await build(
      withOverrides(
        "{ date: new Date(0), re: /re/, err: new Error('x'), map: new Map(), bytes: new Uint8Array(2), boxed: new String('s'), point: new Point() }",
        "class Point { x = 1; }\n",
      ),
    );
    expect(r).toEqual(
      failed(
        `${F}.date: a Date object cannot be part of a config; ${ONLY}`,
        `${F}.re: a RegExp object cannot be part of a config; ${ONLY}`,
        `${F}.err: an Error object cannot be part of a config; ${ONLY}`,
        `${F}.map: a Map object cannot be part of a config; ${ONLY}`,
        `${F}.bytes: a Uint8Array object cannot be part of a config; ${ONLY}`,
        `${F}.boxed: a String object cannot be part of a config; ${ONLY}`,
        `${F}.point: a Point object cannot be part of a config; ${ONLY}`,
      ),
    );
  });

  it("a hole or undefined in a list is an error", async () => {
    expect(await build(withOverrides("{ sparse: [1, , 3], undef: [1, undefined] }"))).toEqual(
      failed(
        `${F}.sparse[1]: a hole in a list (as in [1, , 3]) cannot be part of a config; write the item, or null`,
        `${F}.undef[1]: undefined cannot be part of a config; write null`,
      ),
    );
  });

  it("a property set to undefined is left out, so it does not delete the value a lower layer set, as null would", async () => {
    const r = await build(
      "export default { defaults: { config: { fsm: { max_n_turns: 3 } } }, environments: { dev: { config: { fsm: { max_n_turns: undefined } } } } };\n",
    );
    expect(r).toEqual({ code: 0, stdout: '{\n  "dev": {\n    "X-Config": "{\\"fsm\\": {\\"max_n_turns\\": 3}}"\n  }\n}\n', stderr: "" });
  });

  it("a circular reference is an error naming the path it loops back to", async () => {
    const r = await build("const env = { config: {} };\nenv.config.again = env;\nexport default { environments: { dev: env } };\n");
    expect(r).toEqual(
      failed("sequrity.config.mjs: error: environments.dev.config.again: a circular reference (back to environments.dev) cannot be part of a config"),
    );
    const self = await build("const config = {};\nconfig.self = config;\nexport default config;\n");
    expect(self).toEqual(failed("sequrity.config.mjs: error: self: a circular reference (back to the default export) cannot be part of a config"));
  });

  it("NaN, Infinity and integers beyond 2^53 are located errors, not crashes; a bigint stays exact", async () => {
    expect(await build(withOverrides("{ nan: NaN, inf: -Infinity, big: 2 ** 60 }"))).toEqual(
      failed(
        `${F}.nan: NaN is not a finite number; JSON headers cannot carry it`,
        `${F}.inf: -Infinity is not a finite number; JSON headers cannot carry it`,
        `${F}.big: 1152921504606847000 is beyond 2^53 - 1, so a number cannot hold it exactly; write the integer as a bigint, such as 1152921504606846976n`,
      ),
    );
    expect((await build(withOverrides("{ big: 2n ** 60n + 1n }"))).stdout).toBe('{\n  "dev": {\n    "X-Config": "{\\"big\\": 1152921504606846977}"\n  }\n}\n');
  });

  it("functions, symbols and an own __proto__ key are errors", async () => {
    expect(await build(withOverrides('{ f: () => 1, s: Symbol("s"), o: { ["__proto__"]: 1 } }'))).toEqual(
      failed(
        `${F}.f: a function cannot be part of a config`,
        `${F}.s: a symbol cannot be part of a config`,
        `${F}.o.__proto__: the key __proto__ is not allowed`,
      ),
    );
  });

  it("null-prototype objects are plain objects, and an object used in several places is copied to each", async () => {
    const r = await build(
      "const fsm = Object.assign(Object.create(null), { max_n_turns: 2 });\nexport default { environments: { dev: { config: { fsm } }, prod: { config: { fsm } } } };\n",
    );
    const headers = '{\n    "X-Config": "{\\"fsm\\": {\\"max_n_turns\\": 2}}"\n  }';
    expect(r).toEqual({ code: 0, stdout: `{\n  "dev": ${headers},\n  "prod": ${headers}\n}\n`, stderr: "" });
  });

  it("objects nested in several places cannot expand to more values than YAML aliases may", async () => {
    // 2^40 values once expanded, from a file of 41 arrays: a billion laughs in JS.
    const r = await build(withOverrides("{ laughs }", "let laughs = [1];\nfor (let i = 0; i < 40; i++) laughs = [laughs, laughs];\n"));
    expect(r).toEqual(
      failed(`${F}.laughs${"[0]".repeat(24)}[1]: objects and arrays used in several places expand to more than 100000 values; refusing to expand`),
    );
  });

  it("a getter that throws while the config is read is reported as the config's failure, with its message", async () => {
    expect(await build(withOverrides('{ get secret() { throw new Error("set SECRET first"); } }'))).toEqual(
      failed("sequrity.config.mjs: error: cannot load sequrity.config.mjs: set SECRET first"),
    );
  });
});

describe("the default export of a JS config", () => {
  it("a module without one says so and names what it exports, in ESM and in TypeScript", async () => {
    expect(await build("export const x = 1;\n")).toEqual(
      failed(
        "sequrity.config.mjs: error: cannot load sequrity.config.mjs: it has no default export (it exports only x); the config must be its default export: `export default { ... }`",
      ),
    );
    expect(await build("export const environments = {};\nexport const version: number = 1;\n", "sequrity.config.ts")).toEqual(
      failed(
        "sequrity.config.ts: error: cannot load sequrity.config.ts: it has no default export (it exports only environments, version); the config must be its default export: `export default { ... }`",
      ),
    );
    expect(await build("// nothing yet\n")).toEqual(
      failed(
        "sequrity.config.mjs: error: cannot load sequrity.config.mjs: it has no default export (it exports nothing); the config must be its default export: `export default { ... }`",
      ),
    );
  });

  it("is module.exports in a CommonJS config, whether Node or jiti runs it", async () => {
    const json = '{\n  "a": {}\n}\n';
    expect(await build("exports.environments = { a: {} };\n", "sequrity.config.cjs")).toEqual({ code: 0, stdout: json, stderr: "" });
    expect(await build("module.exports = { environments: { a: {} } };\n", "sequrity.config.cts")).toEqual({ code: 0, stdout: json, stderr: "" });
  });

  it("an undefined default export is not a mapping", async () => {
    expect(await build("export default undefined;\n")).toEqual(
      failed("sequrity.config.mjs: error: the default export is undefined; it must be the config: a mapping with `version` and `environments` keys"),
    );
  });

  it("a default export that is not a plain object is an error about the default export", async () => {
    expect(await build("export default new Date(0);\n")).toEqual(
      failed(`sequrity.config.mjs: error: the default export: a Date object cannot be part of a config; ${ONLY}`),
    );
  });
});
