// The call lifecycle (policy-semantics.md steps 1-5), sessions across turns and attempts, branching.
import { describe, expect, it } from "vitest";
import type { Step } from "../../src/schema/test-file.js";
import { run, step, verdicts } from "./support.js";

const meta = (producers: string[] | null, consumers: string[] | null, tags: string[] | null) => ({ producers, consumers, tags });

describe("one call, step by step", () => {
  it("session before updates stay when the call is then denied", () => {
    const s = run('tool "t" { session before { @tags |= {"tried"}; } hard deny always; }', [{ call: "t" }]);
    expect(step(s, 0)).toMatchObject({ verdict: "deny", result_meta: null, session_meta: meta([], ["*"], ["tried"]) });
  });

  it("an allowed call's result starts as the propagation of its arguments' metadata", () => {
    const s = run("", [
      {
        call: "t",
        args: {
          a: { value: 1, producers: ["p1"], consumers: ["x", "y"], tags: ["t1"] },
          b: { value: 2, producers: ["p2"], consumers: ["y", "z"], tags: ["t2"] },
          c: "plain",
        },
      },
    ]);
    expect(step(s, 0).result_meta).toEqual(meta(["p1", "p2"], ["y"], ["__non_executable", "t1", "t2"]));
  });

  it("with no arguments: producers {}, consumers universal, tags {}", () => {
    expect(step(run("", [{ call: "t" }], { presets: { enable_non_executable_memory: false } }), 0).result_meta).toEqual(meta([], ["*"], []));
  });

  it("__non_executable is added before the result blocks, which may remove it (D9)", () => {
    const s = run('tool "t" -> @tags -= {"__non_executable"};', [{ call: "t" }]);
    expect(step(s, 0)).toMatchObject({ result_meta: meta([], ["*"], []), decisions: ["D9"] });
    expect(step(run('tool "t" -> @producers |= {"p"};', [{ call: "t" }]), 0)).toMatchObject({
      result_meta: meta(["p"], ["*"], ["__non_executable"]),
      decisions: [],
    });
  });

  it("without enable_non_executable_memory there is no tag", () => {
    expect(step(run("", [{ call: "t" }], { presets: { enable_non_executable_memory: false } }), 0).result_meta?.tags).toEqual([]);
  });

  describe("a result with explicit metadata combines as combine_meta says", () => {
    const call = (combine?: "merge" | "replace" | "ignore"): Step => ({
      call: "t",
      args: { a: { value: 1, consumers: ["x", "y"], tags: ["from_args"] } },
      result: { meta: { consumers: ["y", "z"], tags: ["wrapped"] }, ...(combine ? { combine } : {}) },
    });
    const resultOf = (c?: "merge" | "replace" | "ignore") => step(run("", [call(c)], { presets: { enable_non_executable_memory: false } }), 0).result_meta;
    it("merge (the default): the propagation of both", () => {
      expect(resultOf()).toEqual(meta([], ["y"], ["from_args", "wrapped"]));
      expect(resultOf("merge")).toEqual(meta([], ["y"], ["from_args", "wrapped"]));
    });
    it("replace: the given metadata", () => expect(resultOf("replace")).toEqual(meta([], ["y", "z"], ["wrapped"])));
    it("ignore: the arguments' metadata", () => expect(resultOf("ignore")).toEqual(meta([], ["x", "y"], ["from_args"])));
    it("without meta, combine changes nothing", () => {
      const s = run("", [{ call: "t", args: { a: { value: 1, tags: ["a"] } }, result: { combine: "replace" } }], {
        presets: { enable_non_executable_memory: false },
      });
      expect(step(s, 0).result_meta).toEqual(meta([], ["*"], ["a"]));
    });
  });

  it("session after sees @result as the result blocks left it", () => {
    const code = 'tool "t" { result { @tags |= {"done"}; } session after { when "done" in @result.tags { @tags |= {"seen"}; } } }';
    expect(step(run(code, [{ call: "t" }]), 0).session_meta.tags).toEqual(["seen"]);
  });

  it("updates run by block priority, highest first, ties in source order (D5)", () => {
    const s = run('tool "t" [1] -> @tags = {"first"};\ntool "t" [5] -> @tags = {"high"};\ntool "t" [1] -> @tags = {"last"};', [{ call: "t" }]);
    expect(step(s, 0)).toMatchObject({ result_meta: meta([], ["*"], ["last"]), decisions: ["D5", "D9"] });
  });

  it("stacked |= updates of several blocks do not depend on their order: no D5", () => {
    const s = run('tool "t" -> @tags |= {"a"};\ntool "t" -> @tags |= {"b"};', [{ call: "t" }], { presets: { enable_non_executable_memory: false } });
    expect(step(s, 0)).toMatchObject({ result_meta: meta([], ["*"], ["a", "b"]), decisions: [] });
  });

  it("statements inside a block run in source order, each seeing the ones before (D6)", () => {
    const code = 'tool "t" { result { @tags = {"a"}; when "a" in @tags { @tags |= {"b"}; } } }';
    expect(step(run(code, [{ call: "t" }]), 0)).toMatchObject({ result_meta: meta([], ["*"], ["a", "b"]), decisions: ["D6", "D9"] });
  });

  it("adding names to a universal set leaves it universal (D1)", () => {
    const s = run('tool "t" { result { @consumers |= {"a", "b"}; } }', [{ call: "t" }], { presets: { enable_non_executable_memory: false } });
    expect(step(s, 0)).toMatchObject({ result_meta: meta([], ["*"], []), decisions: ["D1"] });
  });

  it("@result does not exist in a session before block: its update does nothing (D4 note)", () => {
    const s = run('tool "t" { session before { @result.tags = {"x"}; } }', [{ call: "t" }]);
    expect(s.notes).toEqual(["@result does not exist in a session before block: the update does nothing (D4)"]);
    expect(step(s, 0).result_meta?.tags).toEqual(["__non_executable"]);
  });
});

describe("undetermined calls", () => {
  const code = 'tool "t" { hard deny when to.value == "x"; session after { @tags |= {"ran"}; } }\ntool "check" { hard deny when "ran" in @session.tags; }';
  it("the result is unknown and the session fields its session after blocks update become unknown", () => {
    const s = run(code, [{ call: "t", result: { as: "r" } }, { call: "check" }, { call: "u", args: { x: { from: "r" } } }]);
    expect(step(s, 0)).toMatchObject({ verdict: "undetermined", result_meta: meta(null, null, null), session_meta: meta([], ["*"], null) });
    expect(step(s, 1)).toMatchObject({
      verdict: "undetermined",
      reasons: ["the session's tags are unknown: step 0 (call t) was undetermined"],
      decisions: ["D3"],
    });
    expect(step(s, 2)).toMatchObject({ verdict: "allow", result_meta: meta(null, null, null) });
  });
  it("a session reset makes the session known again", () => {
    const s = run(code, [{ call: "t" }, "turn", { call: "check" }], { fsm: { clear_session_meta: "every_turn" } });
    expect(step(s, 1).session_meta).toEqual(meta([], ["*"], []));
    expect(step(s, 2)).toMatchObject({ verdict: "allow" });
  });
  it("a failed expectation on an undetermined verdict fails as undetermined", () => {
    const s = run(code, [{ call: "t", expect: "deny", expect_result: { tags: [] } }]);
    expect(s.failures).toEqual([
      { step: 0, message: "expected deny, got undetermined", undetermined: true },
      { step: 0, message: "result tags: expected [], got unknown (the verdict is undetermined)", undetermined: true },
    ]);
  });
});

describe("arguments from earlier results", () => {
  it("from one result: its value and metadata; explicit fields replace", () => {
    const s = run('tool "get" -> @tags |= {"secret"};\ntool "send" { hard deny when body.value == "v" and "secret" in body.tags; }', [
      { call: "get", result: { as: "doc", value: "v" } },
      { call: "send", args: { body: { from: "doc" } } },
      { call: "send", args: { body: { from: "doc", tags: [] } } },
    ]);
    expect(verdicts(s)).toEqual(["allow", "deny", "allow"]);
  });
  it("from several: the list of their values and the propagation of their metadata", () => {
    const s = run('tool "t" { hard deny when x.value == y.value; }', [
      { call: "a", result: { as: "one", value: 1, meta: { producers: ["p1"] } } },
      { call: "b", result: { as: "two", value: 2, meta: { producers: ["p2"] } } },
      { call: "c", args: { x: { from: ["one", "two"] } } },
    ]);
    expect(step(s, 2).result_meta?.producers).toEqual(["p1", "p2"]);
  });
  it("from a denied call: its result does not exist, so what reads it is unknown", () => {
    const s = run('tool "get" { hard deny always; }\ntool "send" { hard deny when "secret" in body.tags; }', [
      { call: "get", result: { as: "doc" } },
      { call: "send", args: { body: { from: "doc" } } },
    ]);
    expect(step(s, 1)).toMatchObject({ verdict: "undetermined", reasons: ['result "doc" does not exist: step 0 (call get) was denied'] });
  });
});

describe("sessions across turns and attempts (clear_session_meta)", () => {
  const code = 'tool "t" -> session @tags |= {"seen"};';
  const steps: Step[] = [{ call: "t" }, "attempt", { call: "t" }, "turn", { call: "t" }];
  const sessions = (mode?: string) =>
    run(code, steps, { session: { tags: ["start"] }, ...(mode ? { fsm: { clear_session_meta: mode } } : {}) }).steps.map((x) => x.session_meta.tags);
  it("never (also when absent): the session persists", () => {
    expect(sessions()).toEqual([
      ["seen", "start"],
      ["seen", "start"],
      ["seen", "start"],
      ["seen", "start"],
      ["seen", "start"],
    ]);
    expect(sessions("never")).toEqual(sessions());
  });
  it("every_turn: reset at every turn after the first, to the defaults (not the case's start)", () => {
    expect(sessions("every_turn")).toEqual([["seen", "start"], ["seen", "start"], ["seen", "start"], [], ["seen"]]);
  });
  it("every_attempt: reset at every attempt and every turn after the first", () => {
    expect(sessions("every_attempt")).toEqual([["seen", "start"], [], ["seen"], [], ["seen"]]);
  });
  it("turn and attempt steps report the session after their reset and no verdict", () => {
    const s = run(code, steps, { fsm: { clear_session_meta: "every_attempt" } });
    expect(step(s, 1)).toEqual({
      index: 1,
      kind: "attempt",
      tool: null,
      verdict: null,
      expected: null,
      passed: true,
      decided_by: null,
      decisions: [],
      reasons: [],
      result_meta: null,
      session_meta: meta([], ["*"], []),
    });
  });
});

describe("branching (branching_meta_policy, custom mode)", () => {
  const code = 'tool "get_profile" -> @tags |= {"RACE"};';
  const steps = (expect?: "allow" | "deny"): Step[] => [
    { call: "get_profile", result: { as: "p" } },
    { branch: { from: "p" }, ...(expect ? { expect } : {}) },
    { branch: "plain value" },
  ];
  it("deny mode: a value whose set overlaps a non-empty list cannot be branched on", () => {
    const s = run(code, steps("deny"), { mode: "custom", presets: { branching_meta_policy: { mode: "deny", tags: ["RACE"] } } });
    expect(verdicts(s)).toEqual(["allow", "deny", "allow"]);
    expect(step(s, 1)).toMatchObject({ kind: "branch", tool: null, decided_by: { kind: "internal", text: "branching_meta_policy" }, result_meta: null });
    expect(s.failures).toEqual([]);
  });
  it("deny mode: a universal consumers set overlaps every non-empty consumers list", () => {
    const s = run("", [{ branch: "v" }], { mode: "custom", presets: { branching_meta_policy: { mode: "deny", consumers: ["x"] } } });
    expect(step(s, 0)).toMatchObject({ verdict: "deny", decisions: ["D1"] });
  });
  it("allow mode (a whitelist): only when every non-empty list holds the value's set (D11)", () => {
    const o = { mode: "custom", presets: { enable_non_executable_memory: false, branching_meta_policy: { mode: "allow", tags: ["RACE", "OK"] } } };
    expect(step(run(code, steps(), o), 1)).toMatchObject({ verdict: "allow", decisions: ["D11"] });
    expect(step(run('tool "get_profile" -> @tags |= {"SSN"};', steps(), o), 1)).toMatchObject({ verdict: "deny", decisions: ["D11"] });
    const consumers = { mode: "custom", presets: { branching_meta_policy: { mode: "allow", consumers: ["x"] } } };
    expect(step(run("", [{ branch: "v" }], consumers), 0)).toMatchObject({ verdict: "deny", decisions: ["D11"] });
  });
  it("with every list empty, branching is allowed in either mode", () => {
    for (const mode of ["allow", "deny"])
      expect(verdicts(run(code, steps(), { mode: "custom", presets: { branching_meta_policy: { mode } } }))).toEqual(["allow", "allow", "allow"]);
  });
  it("outside custom mode every branch is allowed, with a note", () => {
    const s = run(code, steps(), { mode: "standard", presets: { branching_meta_policy: { mode: "deny", tags: ["RACE"] } } });
    expect(verdicts(s)).toEqual(["allow", "allow", "allow"]);
    expect(s.notes).toEqual(["policy.mode standard: not simulated", "branching is not checked outside policy.mode custom: every branch is allowed"]);
  });
});

describe("what is not simulated", () => {
  it("a single-llm environment is skipped", () => {
    expect(run('tool "t" { hard deny always; }', [{ call: "t", expect: "allow" }], { arch: "single-llm" })).toEqual({
      environment: "test",
      skipped: "single-llm environments are not simulated (single-LLM has no metadata propagation)",
      passed: true,
      steps: [],
      failures: [],
      notes: [],
    });
  });
  it("without agent_arch the environment is simulated as Dual-LLM, with a note", () => {
    expect(run("", [{ call: "t" }], { arch: null }).notes).toEqual(["no agent_arch: simulated as Dual-LLM"]);
  });
  it("Cedar policy code is not simulated: only presets and defaults decide", () => {
    const s = run("permit(principal, action, resource);", [{ call: "t" }], { language: "cedar", presets: { default_allow: false } });
    expect(verdicts(s)).toEqual(["deny"]);
    expect(s.notes).toEqual(["Cedar policy code: not simulated (only the presets and defaults decide)"]);
  });
});
