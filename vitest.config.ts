// Two projects: `unit` runs in-process and spawns nothing (fast; the loop to run while editing),
// `e2e` holds every test that starts a process: the real bin, tsc, python3, shells, git, npm,
// watch mode. A file joins e2e by its name, `*.e2e.test.ts`, so new tests land by name.
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const E2E = "test/**/*.e2e.test.ts";

export default defineConfig({
  test: {
    // Every run gets its own os.tmpdir(), and fails when a test leaves a folder in it.
    globalSetup: ["test/setup/temp-folders.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [E2E],
          setupFiles: ["test/setup/no-spawn.ts", "test/setup/temp-cleanup.ts"],
          // One module graph per worker instead of one process per file: starting a process and
          // loading the compiler again for each file cost more than the tests themselves. Tests
          // therefore restore what they change (process.env, the working directory, spies).
          isolate: false,
          // vitest leaves a core to its main process by default; with shared module graphs that
          // process is idle once the files are transformed, so one worker per core is faster.
          maxWorkers: availableParallelism(),
          // Projects with their own worker counts run one after the other: the fast one first.
          sequence: { groupOrder: 0 },
          restoreMocks: true,
          unstubEnvs: true,
          unstubGlobals: true,
          // A guard against hangs, not a speed check: a busy 2-core machine runs the slowest in seconds.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: [E2E],
          setupFiles: ["test/setup/temp-cleanup.ts"],
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
        },
      },
    ],
  },
});
