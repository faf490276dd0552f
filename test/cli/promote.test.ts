// promote edits one value of the config and nothing else, or refuses before writing anything.
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { runCli, tempProject } from "../helpers.js";

const F = "sequrity.config.yaml";

async function headers(dir: string): Promise<Record<string, Record<string, string | undefined>>> {
  const r = await compile({ cwd: dir, configPath: F });
  if (!r.compiled) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return Object.fromEntries(r.compiled.environments.map((e) => [e.name, e.headers]));
}

const BASE = [
  "version: 1",
  "environments:",
  "  staging:",
  "    policy:",
  "      mode: strict   # reviewed",
  "      codes: {code: 'tool \"a\" { hard deny always; }'}",
  "    config: {fsm: {max_n_turns: 3}}",
];

describe("promote --write", () => {
  it("changes only the bytes of TO's policy value and keeps everything else", async () => {
    const text = [
      ...BASE,
      "  prod:",
      "    # prod's own settings",
      "    policy: {mode: standard}",
      "    config: {fsm: {max_n_turns: 9}}",
      "  prod-eu:",
      "    extends: prod",
      "",
    ].join("\n");
    const dir = tempProject({ [F]: text });
    const before = await headers(dir);
    const r = await runCli(["promote", "staging", "prod", "--write"], dir);
    expect(r.stderr).toBe(`updated environments.prod.policy in ${F}\n`);
    expect(r.code).toBe(0);
    const after = readFileSync(path.join(dir, F), "utf8");
    expect(after).toBe(
      [
        ...BASE,
        "  prod:",
        "    # prod's own settings",
        "    policy:",
        "      $replace:",
        "        mode: strict",
        "        codes:",
        '          code: tool "a" { hard deny always; }',
        "    config: {fsm: {max_n_turns: 9}}",
        "  prod-eu:",
        "    extends: prod",
        "",
      ].join("\n"),
    );
    const now = await headers(dir);
    expect(now.prod?.["X-Policy"]).toBe(before.staging?.["X-Policy"]);
    expect(now["prod-eu"]?.["X-Policy"]).toBe(before.staging?.["X-Policy"]);
    expect(now.prod?.["X-Config"]).toBe(before.prod?.["X-Config"]);
    expect(r.stdout).toContain("X-Policy also changed for prod-eu (they extend prod)");
  });

  it("gives a block that is a YAML alias a copy of its own instead of deleting its other settings", async () => {
    const text = [
      "version: 1",
      "environments:",
      "  base: &b",
      "    policy: {mode: standard}",
      "    config: {fsm: {max_n_turns: 4}}",
      "  staging:",
      "    policy: {mode: strict}",
      "  prod: *b",
      "",
    ].join("\n");
    const dir = tempProject({ [F]: text });
    const before = await headers(dir);
    const r = await runCli(["promote", "staging", "prod", "--write"], dir);
    expect(r.stderr).toBe(`updated environments.prod.policy in ${F}\n`);
    const now = await headers(dir);
    expect(now.prod?.["X-Config"]).toBe(before.prod?.["X-Config"]);
    expect(now.prod?.["X-Policy"]).toBe(before.staging?.["X-Policy"]);
    expect(now.base).toEqual(before.base);
  });

  /** `promote staging prod --write` on `text`: it must exit 1 and leave the file as it was; returns stderr. */
  async function refusedPromotion(text: string): Promise<string> {
    const dir = tempProject({ [F]: text });
    const r = await runCli(["promote", "staging", "prod", "--write"], dir);
    expect(r.code).toBe(1);
    expect(readFileSync(path.join(dir, F), "utf8")).toBe(text);
    return r.stderr;
  }

  it("refuses, before writing, to remove an anchor that other blocks use", async () => {
    const text = [
      "version: 1",
      "environments:",
      "  staging:",
      "    policy: {mode: strict}",
      "  prod:",
      "    policy: &p {mode: standard}",
      "  qa:",
      "    policy: *p",
      "",
    ].join("\n");
    expect(await refusedPromotion(text)).toBe(
      "error: cannot promote into prod: environments.prod.policy defines &p, which other blocks use; promote would remove it; nothing written\n",
    );
  });

  it("refuses to edit a block that other blocks share through its anchor", async () => {
    const text = [
      "version: 1",
      "environments:",
      "  staging:",
      "    policy: {mode: strict}",
      "  prod: &shared",
      "    policy: {mode: standard}",
      "  qa: *shared",
      "",
    ].join("\n");
    expect(await refusedPromotion(text)).toBe(
      "error: cannot promote into prod: environments.prod carries the anchor &shared, which other blocks use; promote would change them too; nothing written\n",
    );
  });

  it("keeps CRLF line ends, the BOM and the file's mode", async () => {
    const text = [
      "version: 1",
      "environments:",
      "  staging:",
      "    policy:",
      "      mode: strict",
      "  prod:",
      "    policy:",
      "      mode: standard",
      "    config: {fsm: {max_n_turns: 2}}",
      "",
    ].join("\r\n");
    const dir = tempProject({});
    writeFileSync(path.join(dir, F), "\ufeff" + text);
    chmodSync(path.join(dir, F), 0o664);
    const r = await runCli(["promote", "staging", "prod", "--write"], dir);
    expect(r.code).toBe(0);
    const bytes = readFileSync(path.join(dir, F));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8").slice(1)).toBe(
      [
        "version: 1",
        "environments:",
        "  staging:",
        "    policy:",
        "      mode: strict",
        "  prod:",
        "    policy:",
        "      $replace:",
        "        mode: strict",
        "    config: {fsm: {max_n_turns: 2}}",
        "",
      ].join("\r\n"),
    );
    expect(statSync(path.join(dir, F)).mode & 0o777).toBe(0o664);
  });

  it("adds a policy to a block that has none, in the block's style", async () => {
    const text = [
      "version: 1",
      "environments:",
      "  staging:",
      "    policy: {mode: strict}",
      "  prod:",
      "    config: {fsm: {max_n_turns: 2}}",
      "  dev: {config: {fsm: {max_n_turns: 1}}}",
      "  empty:",
      "",
    ].join("\n");
    const dir = tempProject({ [F]: text });
    for (const to of ["prod", "dev", "empty"]) expect((await runCli(["promote", "staging", to, "--write"], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, F), "utf8")).toBe(
      [
        "version: 1",
        "environments:",
        "  staging:",
        "    policy: {mode: strict}",
        "  prod:",
        "    config: {fsm: {max_n_turns: 2}}",
        "    policy:",
        "      $replace:",
        "        mode: strict",
        "  dev: {config: {fsm: {max_n_turns: 1}}, policy: { $replace: { mode: strict } }}",
        "  empty:",
        "    policy:",
        "      $replace:",
        "        mode: strict",
        "",
      ].join("\n"),
    );
    const h = await headers(dir);
    for (const to of ["prod", "dev", "empty"]) expect(h[to]?.["X-Policy"]).toBe(h.staging?.["X-Policy"]);
  });

  it("writes a multi-line value into a flow block on one line, and control or bidi characters as escapes", async () => {
    const dir = tempProject({
      [F]: 'version: 1\nenvironments:\n  staging: {policy: {codes: {code: "// \\u202e\\ntool \\"a\\" { hard deny always; }\\n"}}}\n  prod: {}\n',
    });
    const before = await headers(dir);
    const r = await runCli(["promote", "staging", "prod", "--write"], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, F), "utf8").split("\n")[3]).toBe(
      '  prod: {policy: { $replace: { codes: { code: "// \\u202e\\ntool \\"a\\" { hard deny always; }\\n" } } }}',
    );
    expect((await headers(dir)).prod?.["X-Policy"]).toBe(before.staging?.["X-Policy"]);
  });

  it("shows control and bidi characters of the promoted values escaped", async () => {
    const dir = tempProject({
      [F]: 'version: 1\nenvironments:\n  staging: {policy: {codes: {code: "// \\u202e\\x9b\\e[8m\\ntool \\"a\\" { hard deny always; }"}}}\n  prod: {}\n',
    });
    const r = await runCli(["promote", "staging", "prod"], dir);
    expect([...r.stdout].filter((ch) => /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/.test(ch))).toEqual([]);
    // prod has no policy of its own: nothing is listed as removed.
    expect(r.stdout).toBe(
      [
        "X-Policy of prod would match staging:",
        "  policy.codes.code:",
        '    + "// \\u202e\\u009b\\u001b[8m\\ntool \\"a\\" { hard deny always; }"',
        "  policy.codes.language:",
        '    + "sqrt"',
        "",
      ].join("\n"),
    );
  });

  it("refuses to promote an environment into one it extends: that would change it too", async () => {
    const text = [
      "version: 1",
      "environments:",
      "  staging:",
      "    policy: {codes: {code: 'tool \"a\" { hard deny always; }'}}",
      "  prod:",
      "    extends: staging",
      "    policy: {codes: {code: {$append: 'tool \"b\" { hard deny always; }'}}}",
      "",
    ].join("\n");
    const dir = tempProject({ [F]: text });
    const r = await runCli(["promote", "prod", "staging", "--write"], dir);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: prod extends staging, so staging's policy is part of prod's: promoting would change prod too; nothing written\n",
    });
    expect(readFileSync(path.join(dir, F), "utf8")).toBe(text);
  });
});
