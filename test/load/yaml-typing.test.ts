// Configs are read as YAML 1.2 (docs/compatibility.md, "Types are strict"), whatever a directive asks
// for, and a core tag means what the YAML 1.2 core schema says it means.
import { describe, expect, it } from "vitest";
import { compileYaml, errorLines, headersOf, runCli, tempProject } from "../helpers.js";

const F = "sequrity.config.yaml";
const ENV = "version: 1\nenvironments:\n  dev:\n    config:\n      fsm: {max_n_turns: 010}\n";

describe("a %YAML directive", () => {
  it("for YAML 1.1 is an error at its version, never a switch to YAML 1.1's types", async () => {
    const dir = tempProject({ [F]: `%YAML 1.1\n---\n${ENV}      $overrides: {flag: on, time: 1:20, bits: 0b11}\n` });
    expect(await runCli(["build", "-f", "json"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        `${F}:1:7: error: %YAML 1.1 is not supported: configs are read as YAML 1.2 only, and YAML 1.1 would read on, 010 and 1:20 as true, 8 and 80; remove the directive or write %YAML 1.2`,
        "  1 | %YAML 1.1",
        "    |       ^^^",
        "1 error; nothing written",
        "",
      ].join("\n"),
    });
  });

  it("for a version the parser does not know is an error at its version, reported once, after comments and other directives", async () => {
    const result = await compileYaml(`# a comment\n%TAG !e! tag:example.com,2000:\n%YAML  1.3 # newer\n---\n${ENV}`);
    expect(errorLines(result)).toEqual([
      `${F}:3:8: error: %YAML 1.3 is not supported: configs are read as YAML 1.2 only; remove the directive or write %YAML 1.2`,
    ]);
  });

  it("for YAML 1.2 reads the file as without it", async () => {
    const result = await compileYaml(`%YAML 1.2\n---\n${ENV}`);
    expect(headersOf(result, "dev")).toEqual({ "X-Config": '{"fsm": {"max_n_turns": 10}}' });
  });
});

describe("core tags", () => {
  it("!!float on an integer is that float, plain or quoted", async () => {
    const yaml = [
      "version: 1",
      "environments:",
      "  dev:",
      "    config:",
      "      llm: {pllm: {top_p: !!float 1, temperature: !!float '0'}}",
      "      $overrides: {a: !!float -007, b: !!float +2, c: !!float 1.5, d: !!float 1e3}",
      "",
    ].join("\n");
    expect(headersOf(await compileYaml(yaml), "dev")).toEqual({
      "X-Config": '{"llm": {"pllm": {"temperature": 0.0, "top_p": 1.0}}, "a": -7.0, "b": 2.0, "c": 1.5, "d": 1000.0}',
    });
  });

  it("a core tag that cannot read its value is an error at the value, never the value kept as a string", async () => {
    const yaml = [
      "version: 1",
      "environments:",
      "  dev:",
      "    config:",
      "      $overrides: {a: !!int 1.5, b: !!bool yes, c: !!null x, d: !!float 1_0, e: !!str [1], f: !!map [1], g: !!seq {x: 1}}",
      "",
    ].join("\n");
    expect(errorLines(await compileYaml(yaml))).toEqual([
      `${F}:5:29: error: the value "1.5" cannot be read as !!int`,
      `${F}:5:44: error: the value "yes" cannot be read as !!bool`,
      `${F}:5:59: error: the value "x" cannot be read as !!null`,
      `${F}:5:73: error: the value "1_0" cannot be read as !!float`,
      `${F}:5:87: error: a list cannot be read as !!str`,
      `${F}:5:101: error: a list cannot be read as !!map`,
      `${F}:5:115: error: a mapping cannot be read as !!seq`,
    ]);
  });
});

describe("line ends", () => {
  it("a file with old Mac line ends (CR alone) is one error at the first of them, not the parser's puzzles", async () => {
    const result = await compileYaml("version: 1\renvironments:\r  dev: {}\r");
    expect(errorLines(result)).toEqual([
      `${F}:1:11: error: this line ends with a carriage return alone (old Mac line ends); save the file with LF or CRLF line ends`,
    ]);
  });

  it("CRLF line ends are read as usual", async () => {
    expect(headersOf(await compileYaml("version: 1\r\nenvironments:\r\n  dev: {config: {fsm: {max_n_turns: 2}}}\r\n"), "dev")["X-Config"]).toBe(
      '{"fsm": {"max_n_turns": 2}}',
    );
  });
});
