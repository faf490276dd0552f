// `print` shows the effective headers with non-ASCII as is, except characters that could drive the
// terminal: those are written as the JSON escape of the same character.
import { describe, expect, it } from "vitest";
import { runPrint } from "../../src/cli/print.js";
import { tempProject } from "../helpers.js";

describe("print", () => {
  it("writes ESC, DEL, C1 controls, separators and bidi overrides in policy code as \\u escapes", async () => {
    const yaml = 'version: 1\nenvironments:\n  prod:\n    policy:\n      codes:\n        code: "let x = {\\"\\e[31m\\x7f\\x9b\\u2028\\u202e\\u2067é\\"};"\n';
    const cwd = tempProject({ "sequrity.config.yaml": yaml });
    let stdout = "";
    let stderr = "";
    const status = await runPrint(
      { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, isTTY: false },
      { env: "prod", header: "policy" },
    );
    expect([status, stderr]).toEqual([0, ""]);
    expect(stdout).toBe('{\n  "codes": {\n    "code": "let x = {\\"\\u001b[31m\\u007f\\u009b\\u2028\\u202e\\u2067é\\"};",\n    "language": "sqrt"\n  }\n}\n');
    // Still the same value, read back as JSON.
    expect(JSON.parse(stdout).codes.code).toBe('let x = {"\x1b[31m\x7f\x9b\u2028\u202e\u2067é"};');
  });
});
