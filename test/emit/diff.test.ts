import { describe, expect, it } from "vitest";
import { newFileDiff, shortDiff } from "../../src/emit/diff.js";

describe("--check diffs", () => {
  it("shows only the changed lines, clipped around the first difference, quotes as they are", () => {
    const head = "# hash aaa\n";
    const long = `X='{"a": ${"1, ".repeat(40)}"b": 10}'\n`;
    const diff = shortDiff("out/.env.dev", `# top\n${head}same\n${long}`, `# top\n# hash bbb\nsame\n${long.replace("10", "11")}`);
    expect(diff).toBe(
      [
        "--- out/.env.dev (on disk)",
        "+++ out/.env.dev (generated)",
        "@@ -2,3 +2,3 @@ first difference at line 2, column 8",
        "-# hash aaa",
        "+# hash bbb",
        `-…${" 1,".repeat(11)} "b": 10}'`,
        `+…${" 1,".repeat(11)} "b": 11}'`,
        "",
      ].join("\n"),
    );
  });

  it("reports a missing file with its first lines and ends with a newline", () => {
    expect(newFileDiff("a.ts", "line1\nline2\n")).toBe("--- a.ts (missing)\n+++ a.ts (generated)\n@@ new file, 2 lines @@\n+line1\n+line2\n");
  });
});
