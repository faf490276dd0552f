/** The project's markdown pages and what the doc tests read from them, through marked's lexer. */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { lexer, type Token } from "marked";

/** README.md, CONTRIBUTING.md and every page under docs/ and examples/, relative to `root`. */
export function markdownPages(root: string): string[] {
  const walk = (dir: string): string[] =>
    !existsSync(dir)
      ? []
      : readdirSync(dir, { withFileTypes: true })
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : []));
  const top = ["README.md", "CONTRIBUTING.md"].map((f) => path.join(root, f)).filter((f) => existsSync(f));
  return [...top, ...walk(path.join(root, "docs")), ...walk(path.join(root, "examples"))].map((f) => path.relative(root, f));
}

/** Every token of the tree: block tokens, list items, table cells, inline tokens. */
export function* allTokens(tokens: readonly unknown[]): Generator<Token> {
  for (const t of tokens) {
    if (typeof t !== "object" || t === null) continue;
    if ("type" in t) yield t as Token;
    for (const value of Object.values(t)) {
      if (Array.isArray(value)) yield* allTokens(value);
      else if (typeof value === "object" && value !== null && !("type" in value)) yield* allTokens([value]);
    }
  }
}

/** The targets of every link and image. */
export function linksOf(markdown: string): string[] {
  return [...allTokens(lexer(markdown))].flatMap((t) => (t.type === "link" || t.type === "image" ? [(t as { href: string }).href] : []));
}

/** The ids GitHub gives a page's headings: lowercased text, punctuation dropped, spaces as `-`, repeats numbered. */
export function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const t of lexer(markdown)) {
    if (t.type !== "heading") continue;
    const text = [...allTokens(t.tokens ?? [])]
      .filter((x) => x.type === "text" || x.type === "codespan")
      .map((x) => (x as { text: string }).text)
      .join("");
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}
