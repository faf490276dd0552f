// `policy check` and `policy fmt` meeting FIFOs (made by mkfifo): refused without blocking, never opened.
import { execFileSync } from "node:child_process";
import { lstatSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempProject } from "../helpers.js";
import { runWithStdin as run } from "./capture.js";

const NOT_REGULAR = "is not a regular file (a device, FIFO or socket); only regular files are read";

describe("files that are not regular text files under the cap are refused at once, with their own code", () => {
  it("a FIFO (nothing ever writes to it) is refused by check and fmt without blocking", async () => {
    const dir = tempProject({});
    execFileSync("mkfifo", [join(dir, "pipe.sqrt")]);
    expect(await run(["policy", "check", "pipe.sqrt"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: `pipe.sqrt: error: policy file pipe.sqrt ${NOT_REGULAR}\n1 error\n`,
    });
    expect(await run(["policy", "fmt", "pipe.sqrt"], dir)).toEqual({ code: 1, stdout: "", stderr: `pipe.sqrt: error: policy file pipe.sqrt ${NOT_REGULAR}\n` });
    const json = await run(["policy", "check", "--format", "json", "pipe.sqrt"], dir);
    expect(JSON.parse(json.stdout)[0].errors).toEqual([
      { line: null, column: null, message: `policy file pipe.sqrt ${NOT_REGULAR}`, code: "not-a-regular-file" },
    ]);
  });
});

describe("policy fmt --write when a file cannot be written", () => {
  it("a file that became a FIFO after it was read is refused, not opened; the other files are still written", async () => {
    const { main } = await import("../../src/cli/main.js");
    const dir = tempProject({ "a.sqrt": "let   a = {};\n", "b.sqrt": "let   b = {};\n" });
    let stderr = "";
    const io = {
      stdout: () => undefined,
      // Once a.sqrt is written, b.sqrt (already read) is swapped for a FIFO.
      stderr: (s: string) => {
        stderr += s;
        if (s === "formatted a.sqrt\n") {
          unlinkSync(join(dir, "b.sqrt"));
          execFileSync("mkfifo", [join(dir, "b.sqrt")]);
        }
      },
      cwd: dir,
      isTTY: false,
    };
    expect(await main(["policy", "fmt", "--write", "a.sqrt", "b.sqrt"], io)).toBe(1);
    expect(stderr).toBe("formatted a.sqrt\nb.sqrt: error: refusing to write b.sqrt: it is a FIFO (named pipe); outputs are regular files\n");
    expect(readFileSync(join(dir, "a.sqrt"), "utf8")).toBe("let a = {};\n");
    expect(lstatSync(join(dir, "b.sqrt")).isFIFO()).toBe(true);
  });
});
