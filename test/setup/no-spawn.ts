// setupFile of the `unit` project: unit tests run in-process, so starting a process is a mistake of
// placement, reported at once instead of slowing the unit run down. Patching the CommonJS module and
// syncing the ESM bindings reaches every importer, the code under test included.
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import { afterAll } from "vitest";

const NAMES = ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"] as const;
const saved = NAMES.map((name) => [name, childProcess[name]] as const);
const patched = childProcess as unknown as Record<string, unknown>;

for (const name of NAMES) {
  patched[name] = (file: unknown) => {
    throw new Error(
      `unit tests start no process (child_process.${name}(${JSON.stringify(String(file))})): a test that does belongs in a *.e2e.test.ts file (docs/CONTRIBUTING.md, "Tests")`,
    );
  };
}
syncBuiltinESMExports();

// The worker may run another project's file next; leave child_process as it was.
afterAll(() => {
  for (const [name, original] of saved) patched[name] = original;
  syncBuiltinESMExports();
});
