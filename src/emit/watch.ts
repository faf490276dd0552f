// `build --watch`: rebuild when any input file changes, one status line per build.
import { existsSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";

export interface BuildStatus {
  ok: boolean;
  /** "built 3 environments, 2 files written", or the error when !ok. */
  summary: string;
}

export interface WatchOptions {
  /** Files to watch, existing or not (yet); asked again after every build, since the set of policy files can change. */
  paths: () => string[];
  rebuild: () => Promise<BuildStatus>;
  log: (line: string) => void;
  /** Stops watching; the returned promise resolves once any build under way has finished. */
  signal?: AbortSignal;
  /** Quiet period after the last change before rebuilding (default 50 ms): editors write in bursts. */
  debounceMs?: number;
  /** Clock for the timestamps (tests). */
  now?: () => Date;
}

function timestamp(d: Date): string {
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

/** Builds once, then after every (debounced) change to a watched file, until `signal` aborts. */
export async function watchAndRebuild(options: WatchOptions): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return;
  const debounceMs = options.debounceMs ?? 50;
  const now = options.now ?? (() => new Date());
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let building: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const closeWatchers = () => {
    for (const w of watchers) w.close();
    watchers = [];
  };

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void build(), debounceMs);
  };

  // Each file, and its directory: editors that save by writing a new file and renaming it over the old
  // one leave a watcher on the old inode silent, while the directory still reports the new name. A file
  // that does not exist yet is watched for through its directory, and when that is missing too, through
  // the nearest folder that exists (for the first missing folder's name): creating it triggers a build,
  // after which the path list is watched again, one level deeper.
  const watchAll = (files: readonly string[]) => {
    closeWatchers();
    const byDir = new Map<string, Set<string>>();
    for (const f of files) {
      let dir = path.dirname(path.resolve(f));
      let name = path.basename(path.resolve(f));
      while (!existsSync(dir) && path.dirname(dir) !== dir) {
        name = path.basename(dir);
        dir = path.dirname(dir);
      }
      const names = byDir.get(dir) ?? new Set<string>();
      names.add(name);
      byDir.set(dir, names);
    }
    const add = (target: string, relevant: (name: string | null) => boolean) => {
      try {
        const w = watch(target, { persistent: true }, (_event, name) => {
          if (relevant(name === null ? null : String(name))) schedule();
        });
        w.on("error", () => w.close()); // e.g. the file was deleted; the directory watcher still sees it return
        watchers.push(w);
      } catch {
        // Missing file or directory: nothing to watch until a later build lists it again.
      }
    };
    for (const [dir, names] of byDir) {
      add(dir, (name) => name === null || names.has(name));
      for (const name of names) add(path.join(dir, name), () => true);
    }
  };

  const runOnce = async () => {
    let status: BuildStatus;
    try {
      status = await options.rebuild();
    } catch (err) {
      status = { ok: false, summary: err instanceof Error ? err.message : String(err) };
    }
    const stamp = `[${timestamp(now())}]`;
    options.log(status.ok ? `${stamp} ${status.summary}` : `${stamp} error: ${status.summary} (kept last good output)`);
    if (!stopped) watchAll(options.paths());
  };

  const build = async (): Promise<void> => {
    if (building) {
      again = true; // a change arrived mid-build: build once more afterwards
      return;
    }
    building = (async () => {
      do {
        again = false;
        await runOnce();
      } while (again && !stopped);
    })();
    await building;
    building = undefined;
  };

  await new Promise<void>((resolve) => {
    // Runs until aborted even while nothing can be watched (watchers are the only other open handles).
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(keepAlive);
      closeWatchers();
      void (building ?? Promise.resolve()).then(() => resolve());
    };
    signal?.addEventListener("abort", stop, { once: true });
    void build();
  });
}
