// The example Python template as Python reads it.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../src/emit/template.js";
import { freshDir } from "../helpers.js";
import { AWKWARD } from "./support.js";

const tmp = freshDir();

describe("custom templates read by their consumers", () => {
  it("example sequrity_headers.py.hbs gives a module python3 reads back exactly", async () => {
    const text = await renderTemplate("examples/templates/sequrity_headers.py.hbs", AWKWARD, { out: "app/sequrity_headers.py" });
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    const dir = path.join(tmp, "py");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "sequrity_headers.py"), text);
    const script = [
      "import json, sys",
      "sys.path.insert(0, sys.argv[1])",
      "import sequrity_headers as m",
      "h = m.sequrity_headers('dev'); h['X-Features'] = 'changed'",
      "print(json.dumps([[k, v] for k, v in m.SEQURITY_HEADERS.items()] + [m.sequrity_headers('dev')['X-Features']], ensure_ascii=True))",
    ].join("\n");
    const out = JSON.parse(execFileSync("python3", ["-c", script, dir], { encoding: "utf8" })) as unknown[];
    expect(out.slice(0, -1)).toEqual(AWKWARD.environments.map((e) => [e.name, e.headers]));
    expect(out.at(-1)).toBe(AWKWARD.environments[0]?.headers["X-Features"]);
  });
});
