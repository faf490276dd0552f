/** The config's `tests:` patterns, expanded the way `test` reads them. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expandGlob } from "../../src/simulate/glob.js";
import { tempProject } from "../helpers.js";

const FILES = {
  "tests/a.test.yaml": "",
  "tests/deep/b.test.yaml": "",
  "tests/.hidden/c.test.yaml": "",
  "tests/node_modules/d.test.yaml": "",
  "other.yaml": "",
};

describe("expandGlob", () => {
  it("a final ** takes every file below, skipping hidden folders and node_modules (it used to crash)", async () => {
    const dir = tempProject(FILES);
    expect((await expandGlob("tests/**", dir)).map((f) => path.relative(dir, f))).toEqual(["tests/a.test.yaml", "tests/deep/b.test.yaml"]);
  });

  it("** in the middle matches zero or more folders", async () => {
    const dir = tempProject(FILES);
    expect((await expandGlob("tests/**/*.test.yaml", dir)).map((f) => path.relative(dir, f))).toEqual(["tests/a.test.yaml", "tests/deep/b.test.yaml"]);
  });
});
