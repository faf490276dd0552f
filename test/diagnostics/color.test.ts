// Colour only where it helps: a terminal without NO_COLOR, or FORCE_COLOR; plain bytes otherwise.
import { describe, expect, it } from "vitest";
import { formatDiagnostic, useColor, type Diagnostic } from "../../src/diagnostics/index.js";

const d: Diagnostic = { severity: "error", code: "yaml-syntax", message: "bad \x1b[31m value", location: { file: "a.yaml", line: 2, column: 3 } };

describe("colour", () => {
  it("follows the terminal, NO_COLOR and FORCE_COLOR", () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(true, { NO_COLOR: "1" })).toBe(false);
    expect(useColor(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColor(true, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColor(false, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
  });

  it("colours the place and the severity; the user's text stays escaped", () => {
    expect(formatDiagnostic(d, { color: true })).toBe("\x1b[1ma.yaml:2:3:\x1b[22m \x1b[31m\x1b[1merror:\x1b[22m\x1b[39m bad \\x1b[31m value");
    expect(formatDiagnostic(d)).toBe("a.yaml:2:3: error: bad \\x1b[31m value");
  });
});
