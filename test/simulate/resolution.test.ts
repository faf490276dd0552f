// Rule resolution (policy-semantics.md step 3): D12, D7, D8, D13, the default, priorities and ties,
// unknown conditions enumerated, the internal LLM-blocked rule (D16).
import { describe, expect, it } from "vitest";
import type { Step } from "../../src/schema/test-file.js";
import { run, step, type EnvOptions } from "./support.js";

function decide(code: string, call: Step = { call: "t" }, o: EnvOptions = {}) {
  const r = step(run(code, [call], o), 0);
  return { verdict: r.verdict, by: r.decided_by ? `${r.decided_by.kind}: ${r.decided_by.text}` : null, decisions: r.decisions, reasons: r.reasons };
}

describe("hard rules", () => {
  it("an applicable hard deny denies", () =>
    expect(decide('tool "t" { must deny always; }')).toEqual({ verdict: "deny", by: "rule: must deny always;", decisions: [], reasons: [] }));
  it("an applicable hard allow allows", () =>
    expect(decide('tool "t" { hard allow always; }')).toEqual({ verdict: "allow", by: "rule: hard allow always;", decisions: [], reasons: [] }));
  it("hard deny wins over an applicable hard allow, in either order (D12)", () => {
    expect(decide('tool "t" { hard allow always; hard deny always; }')).toEqual({
      verdict: "deny",
      by: "rule: hard deny always;",
      decisions: ["D12"],
      reasons: [],
    });
    expect(decide('tool "t" { hard deny always; }\ntool "t" { priority 9; hard allow always; }')).toMatchObject({ verdict: "deny", decisions: ["D12"] });
  });
  it("a hard rule beats every soft rule", () =>
    expect(decide('tool "t" { should allow always; hard deny always; }')).toMatchObject({ verdict: "deny", by: "rule: hard deny always;" }));
});

describe("soft rules: the first applicable one, by block priority then source order (D7)", () => {
  it("specific soft allows, then `should deny always` as the fallback", () => {
    const code = 'tool "send_email" { should allow when to.value in {"hr@x.com"}; should deny always; }';
    expect(decide(code, { call: "send_email", args: { to: "hr@x.com" } })).toEqual({
      verdict: "allow",
      by: 'rule: should allow when to.value in {"hr@x.com"};',
      decisions: ["D7"],
      reasons: [],
    });
    expect(decide(code, { call: "send_email", args: { to: "a@y.com" } })).toEqual({
      verdict: "deny",
      by: "rule: should deny always;",
      decisions: [],
      reasons: [],
    });
  });
  it("a higher-priority block comes first, whatever the source order", () => {
    const code = 'tool "t" { soft deny always; }\ntool "t" { priority 5; soft allow always; }';
    expect(decide(code)).toEqual({ verdict: "allow", by: "rule: soft allow always;", decisions: ["D7"], reasons: [] });
  });
  it("ties in priority go by source order across the file", () => {
    expect(decide('tool "t" { soft deny always; }\ntool r"^t$" { soft allow always; }')).toMatchObject({
      verdict: "deny",
      by: "rule: soft deny always;",
      decisions: ["D7"],
    });
    expect(decide('tool r"^t$" { priority 1; soft allow always; }\ntool "t" { priority 1; soft deny always; }')).toMatchObject({
      verdict: "allow",
      decisions: ["D7"],
    });
  });
  it("soft rules that agree do not rest on D7", () =>
    expect(decide('tool "t" { soft deny always; soft deny always; }')).toMatchObject({ verdict: "deny", decisions: [] }));
});

describe("a hard default removes the soft rules of the opposite outcome (D8)", () => {
  const hardAllow = { presets: { default_allow: true, default_allow_enforcement_level: "hard" } };
  const hardDeny = { presets: { default_allow: false, default_allow_enforcement_level: "hard" } };
  it("under a hard default allow, soft denies are ignored", () => {
    expect(decide('tool "t" { should deny always; }', { call: "t" }, hardAllow)).toEqual({
      verdict: "allow",
      by: "default: default_allow",
      decisions: ["D8"],
      reasons: [],
    });
    expect(decide('tool "t" { should deny always; }')).toMatchObject({ verdict: "deny" });
  });
  it("under a hard default deny, soft allows are ignored", () => {
    expect(decide('tool "t" { should allow always; }', { call: "t" }, hardDeny)).toMatchObject({ verdict: "deny", decisions: ["D8", "D13"] });
  });
  it("hard rules still decide under a hard default", () =>
    expect(decide('tool "t" { hard deny always; }', { call: "t" }, hardAllow)).toMatchObject({ verdict: "deny", decisions: [] }));
});

describe("allow-listed tools (step 3.4) and the default (3.5)", () => {
  it("`hard allow when P` denies when P is false, although default_allow is true", () => {
    const code = 'tool "issue_refund" { hard allow when "final_attempt" in @session.tags; }';
    expect(decide(code, { call: "issue_refund" })).toEqual({
      verdict: "deny",
      by: 'rule: hard allow when "final_attempt" in @session.tags;',
      decisions: [],
      reasons: [],
    });
  });
  it("a tool with only soft allows is allow-listed too (D13)", () => {
    expect(decide('tool "t" { should allow when x.value == 1; }', { call: "t", args: { x: 2 } })).toEqual({
      verdict: "deny",
      by: "rule: should allow when x.value == 1;",
      decisions: ["D13"],
      reasons: [],
    });
  });
  it("a tool without allow rules takes the default", () => {
    expect(decide('tool "t" { hard deny when x.value == 1; }', { call: "t", args: { x: 2 } })).toEqual({
      verdict: "allow",
      by: "default: default_allow",
      decisions: [],
      reasons: [],
    });
    expect(decide('tool "other" { hard allow always; }', { call: "t" }, { presets: { default_allow: false } })).toEqual({
      verdict: "deny",
      by: "default: default_allow",
      decisions: [],
      reasons: [],
    });
  });
});

describe("unknown conditions are decided under every assignment", () => {
  it("a verdict every assignment agrees on stands, naming what was unknown", () => {
    expect(decide('tool "t" { should allow when to.value == "a"; should allow always; }')).toEqual({
      verdict: "allow",
      by: "rule: should allow always;",
      decisions: ["D3"],
      reasons: ['D3: t has no argument "to"'],
    });
  });
  it("a known hard deny decides, whatever the unknowns", () => {
    expect(decide('tool "t" { hard allow when to.value == "a"; hard deny always; }')).toEqual({
      verdict: "deny",
      by: "rule: hard deny always;",
      decisions: [],
      reasons: [],
    });
  });
  it("assignments that disagree make the verdict undetermined", () => {
    expect(decide('tool "t" { hard deny when to.value == "a"; }')).toEqual({
      verdict: "undetermined",
      by: null,
      decisions: ["D3"],
      reasons: ['D3: t has no argument "to"'],
    });
  });
  it("more than 12 unknown conditions is undetermined", () => {
    const rules = Array.from({ length: 13 }, (_, i) => `soft deny when a${i}.value == 1;`).join(" ");
    expect(decide(`tool "t" { ${rules} }`)).toMatchObject({
      verdict: "undetermined",
      reasons: expect.arrayContaining(["13 unknown conditions, more than the 12 the simulator enumerates"]),
    });
    const twelve = Array.from({ length: 12 }, (_, i) => `soft deny when a${i}.value == 1;`).join(" ");
    expect(decide(`tool "t" { ${twelve} soft deny always; }`)).toMatchObject({ verdict: "deny" });
  });
  it("a tool-id regex whose readings disagree may or may not match: its rules count only where it does", () => {
    expect(decide('tool r"send" { hard deny always; }', { call: "resend_email" })).toEqual({
      verdict: "undetermined",
      by: null,
      decisions: ["D2"],
      reasons: ['D2: tool id r"send" against "resend_email": the readings disagree: fullmatch false, match false, search true'],
    });
    expect(decide('tool r"send" { hard deny always; }', { call: "send" })).toMatchObject({ verdict: "deny" });
    expect(decide('tool r"^send_.*" { hard deny always; }\ntool "resend" { hard deny always; }', { call: "resend" })).toMatchObject({
      verdict: "deny",
      decisions: [],
    });
  });
});

describe("parse_with_ai and the __llm_blocked tag (enable_llm_blocked_tag)", () => {
  const blocked: Step = { call: "parse_with_ai", args: { query: { value: "profile", tags: ["__llm_blocked"] } } };
  it("denied at hard level by default, even over a hard allow (D12)", () => {
    expect(decide("", blocked)).toEqual({ verdict: "deny", by: "internal: enable_llm_blocked_tag", decisions: [], reasons: [] });
    expect(decide('tool "parse_with_ai" { hard allow always; }', blocked)).toMatchObject({
      verdict: "deny",
      by: "internal: enable_llm_blocked_tag",
      decisions: ["D12"],
    });
  });
  it("allowed with the tag off, or without the tag", () => {
    expect(decide("", blocked, { presets: { enable_llm_blocked_tag: false } })).toMatchObject({ verdict: "allow", by: "default: default_allow" });
    expect(decide("", { call: "parse_with_ai", args: { query: "profile" } })).toMatchObject({ verdict: "allow" });
  });
  it("at soft level it comes before every user soft rule (D16)", () => {
    const soft = { presets: { llm_blocked_tag_enforcement_level: "soft" } };
    expect(decide('tool "parse_with_ai" { priority 100; should allow always; }', blocked, soft)).toEqual({
      verdict: "deny",
      by: "internal: enable_llm_blocked_tag",
      decisions: ["D7", "D16"],
      reasons: [],
    });
    expect(decide('tool "parse_with_ai" { hard allow always; }', blocked, soft)).toMatchObject({ verdict: "allow" });
  });
});
