import { tmpdir } from "node:os";
import type { Io } from "../../src/cli/io.js";

/**
 * An in-memory Io for the policy commands: what they wrote to stdout and stderr. Relative arguments
 * resolve against `cwd` (tests that keep the default pass absolute paths); `stdin` is what `-` reads.
 */
export function capture(cwd = tmpdir(), stdin?: string | Uint8Array) {
  const out = { stdout: "", stderr: "" };
  const io: Io = { stdout: (s) => void (out.stdout += s), stderr: (s) => void (out.stderr += s), cwd, isTTY: false };
  if (stdin !== undefined) {
    const bytes = typeof stdin === "string" ? Buffer.from(stdin, "utf8") : stdin;
    io.readStdin = async (maxBytes) => bytes.subarray(0, maxBytes + 1);
  }
  return { out, io };
}

/** `sequrity-config ARGS` run in-process in `cwd`, with `stdin` as standard input: its exit status and output. */
export async function runWithStdin(args: string[], cwd: string, stdin?: string | Uint8Array): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import("../../src/cli/main.js");
  const { out, io } = capture(cwd, stdin);
  const code = await main(args, io);
  return { code, ...out };
}
