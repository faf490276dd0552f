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
  // Watched path → its watcher. Watchers stay open from one build to the next (only the difference is
  // applied), so a change made while the list is refreshed is not missed.
  const watchers = new Map<string, FSWatcher>();
  // Watched directory → the names in it that matter; read by the directory's watcher at event time.
  const relevantNames = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | undefined;
  let building: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const closeWatchers = () => {
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void build(), debounceMs);
  };

  const forget = (target: string, w: FSWatcher) => {
    w.close();
    if (watchers.get(target) === w) watchers.delete(target);
  };

  const add = (target: string, onEvent: (event: string, name: string | null, w: FSWatcher) => void) => {
    if (watchers.has(target)) return;
    try {
      const w = watch(target, { persistent: true }, (event, name) => onEvent(event, name === null ? null : String(name), w));
      w.on("error", () => forget(target, w)); // e.g. the file was deleted; the directory watcher still sees it return
      watchers.set(target, w);
    } catch {
      // Missing file or directory: nothing to watch until a later build lists it again.
    }
  };

  // Each file, and its directory: editors that save by writing a new file and renaming it over the old
  // one leave a watcher on the old inode silent, while the directory still reports the new name. A file
  // that does not exist yet is watched for through its directory, and when that is missing too, through
  // the nearest folder that exists (for the first missing folder's name): creating it triggers a build,
  // after which the path list is watched again, one level deeper.
  // File → the folder it was watched through last time.
  const watchedVia = new Map<string, string>();
  const watchAll = (files: readonly string[]) => {
    const byDir = new Map<string, Set<string>>();
    let deeper = false;
    for (const f of files) {
      const file = path.resolve(f);
      let dir = path.dirname(file);
      let name = path.basename(file);
      while (!existsSync(dir) && path.dirname(dir) !== dir) {
        name = path.basename(dir);
        dir = path.dirname(dir);
      }
      const names = byDir.get(dir) ?? new Set<string>();
      names.add(name);
      byDir.set(dir, names);
      // A missing folder appeared: the file may have been created in it before its new watcher existed.
      const before = watchedVia.get(file);
      if (before !== undefined && before !== dir) deeper = true;
      watchedVia.set(file, dir);
    }
    if (deeper) schedule();
    const wanted = new Set([...byDir].flatMap(([dir, names]) => [dir, ...[...names].map((n) => path.join(dir, n))]));
    for (const [target, w] of watchers) if (!wanted.has(target)) forget(target, w);
    relevantNames.clear();
    for (const [dir, names] of byDir) {
      relevantNames.set(dir, names);
      add(dir, (_event, name) => {
        if (name === null || relevantNames.get(dir)?.has(name)) schedule();
      });
      for (const name of names) {
        const file = path.join(dir, name);
        add(file, (event, _name, w) => {
          // Renamed over or removed: this watcher follows a dead inode; the next build watches the new file.
          if (event === "rename") forget(file, w);
          schedule();
        });
      }
    }
  };

  const runOnce = async () => {
    let status: BuildStatus;
    try {
      status = await options.rebuild();
    } catch (err) {
      status = { ok: false, summary: err instanceof Error ? err.message : String(err) };
    }
    // Watch the new list before telling anyone the build is done: an edit made on seeing the status line must be seen.
    if (!stopped) watchAll(options.paths());
    const stamp = `[${timestamp(now())}]`;
    options.log(status.ok ? `${stamp} ${status.summary}` : `${stamp} error: ${status.summary} (kept last good output)`);
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
    watchAll(options.paths()); // what is known before the first build: edits made during it count
    void build();
  });
}
