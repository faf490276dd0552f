import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { watchAndRebuild } from "../../src/emit/watch.js";
import { freshDir } from "../helpers.js";

let tmp: string;
beforeEach(() => {
  tmp = freshDir();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `pred` holds; fails with the log after `timeoutMs` instead of hanging. */
async function until(pred: () => boolean, what: string, lines: string[], timeoutMs = 4000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log:\n${lines.join("\n")}`);
    await sleep(10);
  }
}

describe("watchAndRebuild", () => {
  it("rebuilds on change, survives rename-on-save, follows the path list, reports errors, stops on abort", async () => {
    const config = path.join(tmp, "sequrity.config.yaml");
    const policy = path.join(tmp, "policies", "p.sqrt");
    writeFileSync(config, "v1");
    const lines: string[] = [];
    let builds = 0;
    let failNext = false;
    let watched = [config];
    const controller = new AbortController();
    const done = watchAndRebuild({
      paths: () => watched,
      rebuild: async () => {
        builds++;
        if (failNext) {
          failNext = false;
          return { ok: false, summary: "sequrity.config.yaml:1:1: bad" };
        }
        return { ok: true, summary: `built 1 environment, build ${builds}` };
      },
      log: (l) => lines.push(l),
      signal: controller.signal,
      now: () => new Date(2024, 0, 2, 3, 4, 5),
    });

    await until(() => builds === 1, "the first build", lines);
    expect(lines).toEqual(["[03:04:05] built 1 environment, build 1"]);

    writeFileSync(config, "v2");
    await until(() => builds === 2, "a rebuild after a write", lines);

    // Editors that save by writing elsewhere and renaming over the file.
    writeFileSync(`${config}.tmp~`, "v3");
    renameSync(`${config}.tmp~`, config);
    await until(() => builds === 3, "a rebuild after rename-on-save", lines);

    // A burst of writes is one build (debounced).
    await sleep(100);
    const before = builds;
    for (let i = 0; i < 5; i++) writeFileSync(config, `burst ${i}`);
    await until(() => builds > before, "a rebuild after a burst", lines);
    await sleep(200);
    expect(builds - before).toBe(1);

    failNext = true;
    writeFileSync(config, "broken");
    await until(() => lines.some((l) => l.includes("error:")), "the error line", lines);
    expect(lines.at(-1)).toBe("[03:04:05] error: sequrity.config.yaml:1:1: bad (kept last good output)");

    // The path list is re-read after each build: a new policy file becomes watched after the next one.
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.dirname(policy));
    writeFileSync(policy, "p1");
    watched = [config, policy];
    const n = builds;
    writeFileSync(config, "v4");
    await until(() => builds === n + 1, "a rebuild that picks up the new path list", lines);
    await sleep(100);
    writeFileSync(policy, "p2");
    await until(() => builds === n + 2, "a rebuild after the policy changed", lines);

    // Changes to unrelated files in a watched directory are ignored.
    await sleep(100);
    const quiet = builds;
    writeFileSync(path.join(tmp, ".sequrity.config.yaml.swp"), "x");
    await sleep(200);
    expect(builds).toBe(quiet);

    controller.abort();
    await done;
    const final = builds;
    writeFileSync(config, "after abort");
    await sleep(200);
    expect(builds).toBe(final);
    expect(lines.every((l) => /^\[03:04:05\] /.test(l))).toBe(true);
  }, 20_000);

  it("returns at once for an already aborted signal, and reports a throwing rebuild as an error", async () => {
    let calls = 0;
    await watchAndRebuild({ paths: () => [], rebuild: async () => ({ ok: true, summary: String(++calls) }), log: () => {}, signal: AbortSignal.abort() });
    expect(calls).toBe(0);
    const lines: string[] = [];
    const controller = new AbortController();
    const done = watchAndRebuild({
      paths: () => [path.join(tmp, "missing.yaml")],
      rebuild: async () => {
        throw new Error("boom");
      },
      log: (l) => lines.push(l),
      signal: controller.signal,
    });
    await until(() => lines.length === 1, "the error line", lines);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] error: boom \(kept last good output\)$/);
    controller.abort();
    await done;
  });
});
