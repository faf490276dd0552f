// Code frames: one line index per source text, long lines clipped around the column, and nothing
// from the user's file reaches the terminal as a control character.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policyCheck } from "../../src/cli/policy.js";
import { formatDiagnostic, formatDiagnostics, type Diagnostic } from "../../src/diagnostics/index.js";
import { freshDir } from "../helpers.js";

const at = (line: number, column: number, length = 1, message = "m"): Diagnostic => ({
  severity: "error",
  code: "yaml-syntax",
  message,
  location: { file: "f", line, column, length },
});
const frame = (text: string, d: Diagnostic): string => formatDiagnostic(d, { sources: new Map([["f", text]]) });

describe("code frames", () => {
  it("show the line with a caret under the span; tabs before it stay tabs", () => {
    expect(frame("a\n\tlet B = A C;\nz", at(2, 12, 1))).toBe("f:2:12: error: m\n  2 | \tlet B = A C;\n    | \t          ^");
  });

  it("take lines from LF, CRLF and CR files alike", () => {
    for (const eol of ["\n", "\r\n", "\r"]) expect(frame(["one", "two", "three"].join(eol), at(3, 2, 2))).toBe("f:3:2: error: m\n  3 | three\n    |  ^^");
  });

  it("underline one character past the end for an error at the end of the line", () => {
    expect(frame("let x =", at(1, 8, 0))).toBe("f:1:8: error: m\n  1 | let x =\n    |        ^");
  });

  it("clip a long line on both sides, at most 200 columns with the ellipses, the caret on its character", () => {
    const line = "x".repeat(500) + "ERR" + "y".repeat(497);
    expect(frame(line, at(1, 501, 3))).toBe(`f:1:501: error: m\n  1 | …${"x".repeat(99)}ERR${"y".repeat(96)}…\n    |  ${" ".repeat(99)}^^^`);
  });

  it("clip only the far side when the column is near one end", () => {
    const line = "abcd" + "z".repeat(996);
    expect(frame(line, at(1, 5, 1000))).toBe(`f:1:5: error: m\n  1 | abcd${"z".repeat(194)}…\n    |     ${"^".repeat(194)}`);
    expect(frame(line + ";", at(1, 1001, 1))).toBe(`f:1:1001: error: m\n  1 | …${"z".repeat(197)};\n    |  ${" ".repeat(197)}^`);
  });

  it("never cut a surrogate pair when clipping", () => {
    const text = "\u{1f600}".repeat(300) + "X" + "\u{1f600}".repeat(300);
    const out = frame(text, at(1, 601, 1));
    expect(out).toBe(`f:1:601: error: m\n  1 | …${"\u{1f600}".repeat(99)}X${"\u{1f600}".repeat(98)}…\n    |  ${" ".repeat(99)}^`);
  });

  it("escape control characters, DEL, C1 controls, separators and bidi overrides, keeping the caret in place", () => {
    const text = 'let x = "\x1b[31mred\x1b[0m\x7f\x9b\u2028\u202e\u2066" y; // \u202d';
    expect(frame(text, at(1, 29, 1))).toBe(
      [
        "f:1:29: error: m",
        '  1 | let x = "\\x1b[31mred\\x1b[0m\\x7f\\x9b\\u2028\\u202e\\u2066" y; // \\u202d',
        // `let x = "`, then the escapes as wide as they are shown, then `" `.
        `    | ${" ".repeat(9 + 4 + 7 + 4 + 3 + 4 + 4 + 6 + 6 + 6 + 2)}^`,
      ].join("\n"),
    );
  });

  it("escape them in the message, the file name and notes too", () => {
    const d: Diagnostic = {
      severity: "warning",
      code: "yaml-syntax",
      message: "found '\x1b]0;pwned\x07'",
      location: { file: "a\x1bb", line: 0, column: 0 },
      notes: ["see \u202e here\nand there"],
    };
    expect(formatDiagnostic(d)).toBe("a\\x1bb: warning: found '\\x1b]0;pwned\\x07'\n  note: see \\u202e here\\x0aand there");
  });

  it("count escaped characters against the 200 columns", () => {
    const out = frame("\x1b".repeat(1000) + "X", at(1, 1001, 1));
    expect(out).toBe(`f:1:1001: error: m\n  1 | …${"\\x1b".repeat(49)}X\n    |  ${" ".repeat(196)}^`);
  });

  it("many diagnostics in one long line: every frame clipped, none missing", () => {
    const text = Array.from({ length: 5000 }, (_, i) => `v${String(i).padStart(4, "0")} `).join("");
    const diagnostics = Array.from({ length: 5000 }, (_, i) => at(1, i * 6 + 1, 5, `w${i}`));
    const lines = formatDiagnostics(diagnostics, { sources: new Map([["f", text]]) }).split("\n");
    expect(lines).toHaveLength(15000);
    expect(lines[3 * 2500]).toBe("f:1:15001: error: w2500");
    expect(lines[3 * 2500 + 1]).toBe(`  1 | …${text.slice(15000 - 99, 15000 + 99)}…`);
    expect(lines[3 * 2500 + 2]).toBe(`    |  ${" ".repeat(99)}^^^^^`);
    expect(Math.max(...lines.map((l) => l.length))).toBe(6 + 200);
  });
});

describe("policy check on a 1 MB file", () => {
  it("a single line with 5,000 warnings prints every one with a clipped frame (no 'Invalid string length')", async () => {
    // Just under the 1 MiB cap of a policy file.
    const blocks = Array.from({ length: 5000 }, (_, i) => `tool "t${i}" { must deny when Missing${i} or ${"x".repeat(140)}.tags is empty; }`);
    const code = blocks.join(" ");
    expect(code.length).toBeGreaterThan(1e6);
    const file = join(freshDir("frames-"), "long.sqrt");
    writeFileSync(file, code);
    let stderr = "";
    const status = await policyCheck(
      [file],
      { format: "text", strict: false },
      { stdout: () => undefined, stderr: (s) => void (stderr += s), cwd: "/", isTTY: false },
    );
    expect(status).toBe(0);
    const lines = stderr.split("\n");
    expect(lines.filter((l) => l.includes(": warning: 'Missing")).length).toBe(5000);
    expect(lines.at(-2)).toBe("5000 warnings");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(300);
  });
});
