// Every relative link in the docs points at a file of the repository, and every #anchor at a
// heading of the page it names (GitHub's heading ids), read with marked's lexer.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { headingIds, linksOf, markdownPages } from "./markdown.js";

const ROOT = path.resolve(__dirname, "../..");

describe.each(markdownPages(ROOT))("links in %s", (page) => {
  it("resolve to existing files and headings", () => {
    const broken: string[] = [];
    for (const href of linksOf(readFileSync(path.join(ROOT, page), "utf8"))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto: ...
      const [target = "", anchor] = href.split("#");
      const file = target === "" ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), decodeURIComponent(target));
      if (!existsSync(file)) {
        broken.push(`${href}: no such file`);
        continue;
      }
      if (anchor && !statSync(file).isDirectory() && file.endsWith(".md") && !headingIds(readFileSync(file, "utf8")).has(anchor)) {
        broken.push(`${href}: no heading with this id`);
      }
    }
    expect(broken).toEqual([]);
  });
});
