// What `policy check` and `policy fmt` read: files (regular, under 1 MiB, refused before opening
// otherwise), directories (every .sqrt and .cedar file below, sorted) and `-` (stdin).
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../helpers.js";
import { runWithStdin as run } from "./capture.js";

const NOT_REGULAR = "is not a regular file (a device, FIFO or socket); only regular files are read";

describe("files that are not regular text files under the cap are refused at once, with their own code", () => {
  it("/dev/zero is refused before it is opened", async () => {
    expect(await run(["policy", "check", "/dev/zero"], tempProject({}))).toEqual({
      code: 1,
      stdout: "",
      stderr: `/dev/zero: error: policy file /dev/zero ${NOT_REGULAR}\n1 error\n`,
    });
  });

  it("a 1.5 GiB file is refused by its size, unread", async () => {
    const dir = tempProject({});
    // Sparse: no disk is used.
    writeFileSync(join(dir, "big.sqrt"), "");
    truncateSync(join(dir, "big.sqrt"), 1.5 * 1024 ** 3);
    expect(await run(["policy", "check", "--format", "github", "big.sqrt"], dir)).toEqual({
      code: 1,
      stdout: "::error file=big.sqrt,title=file-too-large::policy file big.sqrt is 1.5 GiB, over the 1 MiB limit for a policy file\n",
      stderr: "",
    });
  });

  it("a binary file, a missing file, and a link to a folder named like a policy file inside a directory argument", async () => {
    const dir = tempProject({ "nul.sqrt": "let a = {};\0\n", "folder/x.txt": "" });
    mkdirSync(join(dir, "policies"));
    symlinkSync("../folder", join(dir, "policies/linked.sqrt"));
    writeFileSync(join(dir, "policies/ok.sqrt"), "let a = {};\n");
    expect(await run(["policy", "check", "--format", "github", "nul.sqrt", "missing.sqrt", "policies"], dir)).toEqual({
      code: 1,
      stdout:
        "::error file=nul.sqrt,title=binary-file::policy file nul.sqrt is a binary file, not text\n" +
        "::error file=missing.sqrt,title=file-not-found::cannot read policy file missing.sqrt: not found\n" +
        "::error file=policies/linked.sqrt,title=not-a-regular-file::policy file policies/linked.sqrt is a directory; only regular files are read\n",
      stderr: "",
    });
  });
});

describe("a directory argument", () => {
  const tree = {
    "policies/b.sqrt": "let A = B;\n",
    "policies/a.cedar": "permit(principal, action, resource);",
    "policies/sub/c.sqrt": 'tool "a"{must deny always;}\n',
    "policies/sub.sqrt": "let x = {};\n",
    "policies/notes.txt": "not policy code",
    "policies/node_modules/dep/x.sqrt": "let x = ;\n",
    "policies/.cache/y.sqrt": "let y = ;\n",
    "other/z.sqrt": "let z = ;\n",
  };

  it("check reads every .sqrt and .cedar file below it, sorted, skipping node_modules, dot-folders and linked folders", async () => {
    const dir = tempProject(tree);
    symlinkSync("../other", join(dir, "policies/linked"));
    const { code, stdout } = await run(["policy", "check", "--format", "json", "policies"], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((e: { file: string; warnings: unknown[] }) => [e.file, e.warnings.length])).toEqual([
      ["policies/a.cedar", 0],
      ["policies/b.sqrt", 1],
      ["policies/sub.sqrt", 0],
      ["policies/sub/c.sqrt", 0],
    ]);
  });

  it("fmt --check lists the unformatted files below it; a linked directory argument names files below the link", async () => {
    const dir = tempProject(tree);
    symlinkSync("policies", join(dir, "rules"));
    expect(await run(["policy", "fmt", "--check", "rules"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "rules/a.cedar: not formatted\nrules/sub/c.sqrt: not formatted\n2 files not formatted (run 'sequrity-config policy fmt --write')\n",
    });
    expect(await run(["policy", "fmt", "--write", "rules"], dir)).toEqual({
      code: 0,
      stdout: "",
      stderr: "formatted rules/a.cedar\nformatted rules/sub/c.sqrt\n",
    });
    expect(readFileSync(join(dir, "policies/sub/c.sqrt"), "utf8")).toBe('tool "a" {\n    must deny always;\n}\n');
    expect(readFileSync(join(dir, "policies/a.cedar"), "utf8")).toBe("permit (principal, action, resource);\n");
  });

  it("a directory without policy files is an error, so a mistyped folder cannot pass", async () => {
    const dir = tempProject({ "docs/readme.md": "" });
    expect(await run(["policy", "check", "docs"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "docs: error: directory docs holds no .sqrt or .cedar files (node_modules and dot-folders are skipped)\n1 error\n",
    });
  });
});

describe("- reads stdin", () => {
  const messy = 'tool "a"{must deny always;}\n';
  const tidy = 'tool "a" {\n    must deny always;\n}\n';

  it("fmt - prints the formatted stdin; --check - says whether it is formatted", async () => {
    const dir = tempProject({});
    expect(await run(["policy", "fmt", "-"], dir, messy)).toEqual({ code: 0, stdout: tidy, stderr: "" });
    expect(await run(["policy", "fmt", "--check", "-"], dir, messy)).toEqual({
      code: 1,
      stdout: "",
      stderr: "<stdin>: not formatted\n1 file not formatted (run 'sequrity-config policy fmt --write')\n",
    });
    expect(await run(["policy", "fmt", "--check", "-"], dir, tidy)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("check - names stdin <stdin>; --stdin-filepath names it and a .cedar name reads it as Cedar", async () => {
    const dir = tempProject({});
    expect(await run(["policy", "check", "-"], dir, "let x = ;\n")).toEqual({
      code: 1,
      stdout: "",
      stderr: "<stdin>:1:9: error: expected a predicate or a set expression, found ';'\n  1 | let x = ;\n    |         ^\n1 error\n",
    });
    expect(await run(["policy", "check", "--format", "github", "--stdin-filepath", "rules/p.cedar", "-"], dir, "permit(principal action, resource);")).toEqual({
      code: 1,
      stdout:
        "::error file=rules/p.cedar,line=1,col=18,title=cedar-syntax::unexpected token `action`; expected `!=`, `)`, `,`, `:`, `<`, `<=`, `==`, `>`, `>=`, `in`, or `is`\n",
      stderr: "",
    });
  });

  it("fmt --write - is a usage error, and so is - given twice (exit 2)", async () => {
    const dir = tempProject({});
    expect(await run(["policy", "fmt", "--write", "-"], dir, messy)).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: --write cannot rewrite stdin (-); without --write the formatted code is printed\n",
    });
    expect(await run(["policy", "check", "-", "-"], dir, messy)).toEqual({ code: 2, stdout: "", stderr: "error: stdin (-) can be given only once\n" });
  });

  it("stdin is read only up to the 1 MiB cap, then refused", async () => {
    const huge = Buffer.alloc(3 * 1024 * 1024, 0x20);
    let asked = -1;
    const { main } = await import("../../src/cli/main.js");
    let stderr = "";
    const io = {
      stdout: () => undefined,
      stderr: (s: string) => void (stderr += s),
      cwd: tempProject({}),
      isTTY: false,
      readStdin: async (maxBytes: number) => {
        asked = maxBytes;
        return huge.subarray(0, maxBytes + 1);
      },
    };
    expect(await main(["policy", "fmt", "-"], io)).toBe(1);
    expect(asked).toBe(1024 * 1024);
    expect(stderr).toBe("<stdin>: error: policy file <stdin> is 1.0 MiB, over the 1 MiB limit for a policy file\n");
  });

  it("an Io without stdin reads - as empty, like </dev/null", async () => {
    expect(await runCli(["policy", "check", "-"], tempProject({}))).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});
