// Every case of test/fixtures/headers.json (copied from the reference SDK outputs): valid inputs compile byte-for-byte to the SDK's
// string; invalid ones are refused with a location inside the section that holds the bad value.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument, isMap, isSeq, type YAMLMap, type Node as YamlNode } from "yaml";
import { compileYaml, errorLines, headersOf } from "../helpers.js";

const FIXTURE = path.resolve(__dirname, "../fixtures/headers.json");
const text = readFileSync(FIXTURE, "utf8");
const doc = parseDocument(text);

interface Case {
  id: string;
  section: "features" | "policy" | "config";
  /** The raw JSON text of `input` and `overrides`, exactly as in the fixture (1.0 stays 1.0). */
  input: string;
  overrides?: string;
  expected?: string;
  invalid?: boolean;
}

function rawOf(map: YAMLMap, key: string): string | undefined {
  const node = map.get(key, true) as YamlNode | undefined;
  return node?.range ? text.slice(node.range[0], node.range[1]) : undefined;
}

const plain = JSON.parse(text) as { id: string; section: Case["section"]; invalid?: boolean; expected?: string }[];
const cases: Case[] = [];
if (!isSeq(doc.contents)) throw new Error("headers.json is not a list");
doc.contents.items.forEach((item, i) => {
  const p = plain[i];
  if (!isMap(item) || !p) throw new Error(`case ${i} is not an object`);
  const c: Case = { id: p.id, section: p.section, input: rawOf(item, "input") as string };
  const overrides = rawOf(item, "overrides");
  if (overrides !== undefined) c.overrides = overrides;
  if (p.invalid === true) c.invalid = true;
  else c.expected = p.expected as string;
  cases.push(c);
});

/** The section as a user would write it, with `$overrides` beside the fields (JSON is YAML). */
function configFor(c: Case): string {
  const section = c.overrides ? c.input.replace(/}\s*$/, (c.input.trim() === "{}" ? "" : ", ") + `"$overrides": ${c.overrides}}`) : c.input;
  const indented = section
    .split("\n")
    .map((l) => "      " + l)
    .join("\n");
  return `version: 1\nenvironments:\n  t:\n    ${c.section}:\n${indented}\n`;
}

const headerName = { features: "X-Features", policy: "X-Policy", config: "X-Config" } as const;

describe("headers.json fixtures", () => {
  it("has the expected number of cases", () => {
    expect(cases.length).toBe(165);
    expect(cases.filter((c) => c.invalid).length).toBe(15);
  });

  for (const c of cases.filter((x) => !x.invalid)) {
    it(`${c.id} compiles byte-exact`, async () => {
      const result = await compileYaml(configFor(c));
      expect(headersOf(result, "t")[headerName[c.section]]).toBe(c.expected);
    });
  }

  for (const c of cases.filter((x) => x.invalid)) {
    it(`${c.id} is rejected with a location`, async () => {
      const result = await compileYaml(configFor(c));
      expect(result.compiled).toBeUndefined();
      const lines = errorLines(result);
      expect(lines.length).toBeGreaterThan(0);
      // The section starts on line 5: every error must point into it.
      for (const line of lines) {
        const m = /^sequrity\.config\.yaml:(\d+):\d+: error: ./.exec(line);
        expect(m, line).not.toBeNull();
        expect(Number(m?.[1])).toBeGreaterThanOrEqual(5);
      }
    });
  }
});
