// The library examples in the docs compile: every ```ts or ```js block that imports from
// "sequrity-config" (the package itself, not a plugin entry) is type-checked with tsc --strict
// against the shipped types, so an example cannot drift from the API it shows.
import { readFileSync } from "node:fs";
import path from "node:path";
import { lexer, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { installedProject, ROOT, STRICT_TSCONFIG, tsc } from "../installed.js";
import { allTokens, markdownPages } from "./markdown.js";

const USES_LIBRARY = /from "sequrity-config"/;

function snippets(): { at: string; code: string; js: boolean }[] {
  return markdownPages(ROOT).flatMap((page) =>
    [...allTokens(lexer(readFileSync(path.join(ROOT, page), "utf8")))]
      .filter((t): t is Tokens.Code => t.type === "code")
      .filter((t) => /^(ts|js)\b/.test(t.lang ?? "") && !/\bfile=/.test(t.lang ?? "") && USES_LIBRARY.test(t.text))
      .map((t, i) => ({ at: `${page} #${i + 1}`, code: t.text, js: (t.lang ?? "").startsWith("js") })),
  );
}

describe("library examples in the docs", { timeout: 60_000 }, () => {
  it("exist (the test is not vacuous) and all type-check under tsc --strict", () => {
    const found = snippets();
    expect(found.map((s) => s.at.split(" ")[0])).toEqual(expect.arrayContaining(["docs/library-api.md", "docs/policy-tests.md"]));
    const files = Object.fromEntries(found.map((s, i) => [`snippet-${i}.${s.js ? "mjs" : "mts"}`, `${s.code}\nexport {};\n`]));
    const tsconfig = JSON.parse(STRICT_TSCONFIG) as { compilerOptions: Record<string, unknown> };
    // JS examples are checked too; console and process come from @types/node.
    tsconfig.compilerOptions = {
      ...tsconfig.compilerOptions,
      allowJs: true,
      checkJs: true,
      types: ["node"],
      typeRoots: [path.join(ROOT, "node_modules/@types")],
    };
    const dir = installedProject({ ...files, "tsconfig.json": JSON.stringify(tsconfig) });
    const r = tsc(dir);
    const names = found.map((s, i) => `snippet-${i} = ${s.at}`).join("\n");
    expect({ ...r, names }).toEqual({ status: 0, output: "", names });
  });
});
