// Every ```console transcript in README.md, docs/ and examples/ is run in-process through the CLI's
// main() and must print exactly what the page shows, so versions, hashes and messages cannot drift.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSections } from "./console-blocks.js";
import { markdownPages } from "./markdown.js";
import { projectFor, runStep, type Shell } from "./run-transcript.js";

const ROOT = path.resolve(__dirname, "../..");

// Colour depends on the environment the tests run in; the docs show plain text.
const savedColour = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
beforeAll(() => {
  process.env.NO_COLOR = "1";
  delete process.env.FORCE_COLOR;
});
// UPDATE_DOC_EXAMPLES=1 rewrites each differing output in its page instead of failing: for
// deliberate changes of wording; review the diff before committing it.
const UPDATE = Boolean(process.env.UPDATE_DOC_EXAMPLES);
const updates: { page: string; command: string; expected: string; actual: string }[] = [];
afterAll(() => {
  for (const u of updates) {
    const file = path.join(ROOT, u.page);
    const text = readFileSync(file, "utf8");
    const before = `$ ${u.command}\n${u.expected}`;
    const at = text.indexOf(before);
    if (at >= 0) writeFileSync(file, text.slice(0, at) + `$ ${u.command}\n${u.actual}` + text.slice(at + before.length));
  }
  for (const [k, v] of Object.entries(savedColour)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe.each(markdownPages(ROOT))("%s", (page) => {
  const sections = readSections(path.join(ROOT, page), page);
  if (sections.length === 0) it("has no console transcripts", () => undefined);
  for (const section of sections) {
    describe(section.heading, () => {
      // The transcripts of one section share one project folder and shell, in page order.
      let shell: Shell | undefined;
      for (const item of section.items) {
        if (item.kind === "file") continue;
        const { transcript } = item;
        it(`${transcript.at}: ${transcript.steps.map((s) => `$ ${s.command}`).join(" · ")}`, async () => {
          shell ??= { dir: projectFor(section), status: 0 };
          for (const step of transcript.steps) {
            const actual = await runStep(step, shell);
            if (UPDATE && actual !== step.output) updates.push({ page, command: step.command, expected: step.output, actual });
            else expect(actual, `${transcript.at}: $ ${step.command}`).toBe(step.output);
          }
        });
      }
    });
  }
});
