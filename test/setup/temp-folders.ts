// vitest globalSetup: the whole run, and every process it starts, gets a private os.tmpdir() (TMPDIR is
// inherited by the test workers and their children). At the end, a folder left there with one of the
// project's prefixes is a test that did not clean up: the run fails, naming it. A private folder, not a
// before/after listing of the shared /tmp, so that other runs on the machine cannot be mistaken for ours.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Names our tests (and the tool) give temporary folders: freshDir's `sequrity-test-`, and older `sq*` ones. */
const PREFIXES = ["sequrity", "sq"];
const OWNER = "SEQURITY_TEST_RUN_TMPDIR";

export default function setup(): (() => void) | undefined {
  // vitest calls this once per project, in one process: the first call owns the folder.
  if (process.env[OWNER]) return undefined;
  const runDir = mkdtempSync(path.join(tmpdir(), "sequrity-run-"));
  process.env[OWNER] = runDir;
  process.env.TMPDIR = runDir;
  return () => {
    const left = readdirSync(runDir).filter((name) => PREFIXES.some((p) => name.startsWith(p)));
    rmSync(runDir, { recursive: true, force: true });
    if (left.length > 0) {
      process.stderr.write(
        `\nerror: the tests left ${left.length} temporary folder(s): ${left.sort().join(", ")}\n` +
          "Make temp folders with freshDir() or tempProject() from test/helpers.ts (removed after each file), or remove them in the test.\n",
      );
      // A teardown's exception is only logged by vitest; the exit status is what CI sees.
      process.exitCode = 1;
    }
  };
}
