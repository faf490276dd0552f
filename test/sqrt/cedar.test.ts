import { describe, expect, it } from "vitest";
import { checkCedar, checkPolicyCode } from "../../src/check/index.js";

describe("checkCedar", () => {
  it("accepts valid policies", async () => {
    expect(await checkCedar('permit(principal, action == Action::"read", resource) when { context.ok };')).toEqual([]);
    expect(await checkPolicyCode("", "cedar")).toEqual([]);
  });

  it("maps the error span to line/column, counting characters not bytes", async () => {
    const code = "// héllo ünï\npermit(principal action, resource);";
    const issues = await checkCedar(code);
    expect(issues).toEqual([
      {
        severity: "error",
        code: "cedar-syntax",
        message: "unexpected token `action`; expected `!=`, `)`, `,`, `:`, `<`, `<=`, `==`, `>`, `>=`, `in`, or `is`",
        offset: 30,
        length: 6,
        line: 2,
        column: 18,
      },
    ]);
    expect(code.slice(30, 36)).toBe("action");
  });

  it("reports unterminated strings", async () => {
    const [issue] = await checkCedar('permit(principal, action, resource) when { "abc };');
    expect(issue).toMatchObject({ severity: "error", code: "cedar-syntax", line: 1 });
    expect(issue?.message).toMatch(/invalid token; try checking that all strings are closed properly/);
  });
});
