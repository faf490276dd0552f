/** An in-memory `PolicyIo`: what a policy command wrote to stdout and stderr. */
export function capture() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s) } };
}
