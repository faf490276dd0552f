// The policy commands through the real binary (the bundled CLI): stdin read from a pipe, a FIFO
// refused without blocking, and cedar-wasm loaded from the bundle for checking and formatting.
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempProject } from "../helpers.js";

const BIN = path.resolve(__dirname, "../../bin/sequrity-config.js");

function run(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", ...(input !== undefined ? { input } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("policy commands (spawned)", { timeout: 60_000 }, () => {
  it("policy fmt - formats what is piped to stdin", () => {
    expect(run(["policy", "fmt", "-"], tempProject({}), 'tool "a"{must deny always;}\r\n')).toEqual({
      code: 0,
      stdout: 'tool "a" {\r\n    must deny always;\r\n}\r\n',
      stderr: "",
    });
  });

  it("policy check refuses a FIFO and checks and formats Cedar with the bundled CLI", () => {
    const dir = tempProject({ "p.cedar": "permit(principal,action,resource);", "bad.cedar": "permit(principal action, resource);" });
    execFileSync("mkfifo", [path.join(dir, "pipe.sqrt")]);
    expect(run(["policy", "check", "--format", "github", "pipe.sqrt", "p.cedar", "bad.cedar"], dir)).toEqual({
      code: 1,
      stdout:
        "::error file=pipe.sqrt,title=not-a-regular-file::policy file pipe.sqrt is not a regular file (a device, FIFO or socket); only regular files are read\n" +
        "::error file=bad.cedar,line=1,col=18,title=cedar-syntax::unexpected token `action`; expected `!=`, `)`, `,`, `:`, `<`, `<=`, `==`, `>`, `>=`, `in`, or `is`\n",
      stderr: "",
    });
    expect(run(["policy", "fmt", "p.cedar"], dir)).toEqual({ code: 0, stdout: "permit (principal, action, resource);\n", stderr: "" });
  });
});
