import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";
import { initRepo } from "../review/git.js";
import { APP, app, BASELINE, BASELINE_CONFIG } from "./imports-fixture.js";

describe("review --base with imports", () => {
  it("reads the config at the revision and the imports from the installed package", async () => {
    const dir = app();
    writeFileSync(path.join(dir, ".gitignore"), "node_modules\n");
    initRepo(dir);
    // A new version of the package is installed: both sides read it, so the review sees no change.
    writeFileSync(path.join(dir, BASELINE, "sequrity.config.yaml"), BASELINE_CONFIG.replace("mode: strict", "mode: custom"));
    expect((await runCli(["review", "--base", "HEAD"], dir)).stdout).toBe(
      "security review: working tree against git revision HEAD\ndev: unchanged\nprod: unchanged\nsummary: 0 weakening, 0 tightening, 0 review, 0 neutral\n",
    );
    writeFileSync(path.join(dir, "sequrity.config.yaml"), APP.replace("max_n_turns: 3", "max_n_turns: 4"));
    expect((await runCli(["review", "--base", "HEAD"], dir)).stdout).toContain(
      "  neutral  config.fsm.max_n_turns changed: 3 → 4  (sequrity.config.yaml:11:35)\n",
    );
  });
});

describe("review names the imported file", () => {
  it("a change in a config imported by relative path is located in that file", async () => {
    const dir = app("version: 1\nimports:\n  shared: ./shared/base.yaml\nenvironments:\n  prod:\n    extends: shared/prod\n", {
      "shared/base.yaml": "version: 1\nenvironments:\n  prod:\n    policy: { mode: strict }\n",
    });
    initRepo(dir);
    writeFileSync(path.join(dir, "shared/base.yaml"), "version: 1\nenvironments:\n  prod:\n    policy: { mode: standard }\n");
    const r = await runCli(["review", "--base", "HEAD"], dir);
    expect(r.stdout).toBe(
      [
        "security review: working tree against git revision HEAD",
        "prod: changed",
        '  weakening  policy.mode changed: "strict" → "standard"  (shared/base.yaml:4:21)',
        "summary: 1 weakening, 0 tightening, 0 review, 0 neutral",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(1);
  });
});
