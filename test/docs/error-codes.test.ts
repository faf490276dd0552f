// docs/errors.md explains every code of the closed union in src/errors.ts, and nothing else.
import { readFileSync } from "node:fs";
import path from "node:path";
import { lexer, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { CODES, ERROR_CODES } from "../../src/errors.js";

const PAGE = path.resolve(__dirname, "../../docs/errors.md");

/** Each table row of the page: code (first cell, in backticks) → its cells. */
function documentedCodes(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const token of lexer(readFileSync(PAGE, "utf8"))) {
    if (token.type !== "table") continue;
    for (const row of (token as Tokens.Table).rows) {
      const cells = row.map((c) => c.text);
      const code = /^`([a-z0-9-]+)`$/.exec(cells[0] ?? "")?.[1];
      if (code) rows.set(code, cells);
    }
  }
  return rows;
}

describe("docs/errors.md", () => {
  it("lists exactly the codes of src/errors.ts", () => {
    expect([...documentedCodes().keys()].sort()).toEqual([...ERROR_CODES].sort());
  });

  it("says 'exit 2' for exactly the codes that are usage errors", () => {
    const docs = documentedCodes();
    const saysUsage = ERROR_CODES.filter((c) => docs.get(c)?.[2]?.includes("exit 2"));
    expect(saysUsage.sort()).toEqual(ERROR_CODES.filter((c) => CODES[c].exit === "usage").sort());
  });

  it("gives each code a severity, a meaning and an example", () => {
    for (const [code, cells] of documentedCodes()) {
      expect(cells[1], code).toMatch(/^(error|warning)$/);
      expect(cells[2]?.length ?? 0, code).toBeGreaterThan(10);
      expect(cells[3]?.length ?? 0, code).toBeGreaterThan(0);
    }
  });
});
