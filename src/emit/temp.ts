// Temporary files of atomic writes: `.NAME.<pid>.<8 hex>.tmp` beside the target.
// - While a build writes, SIGINT/SIGTERM/SIGHUP remove the temps it holds, then the signal is raised
//   again with our handlers gone, so the process ends with the status a shell expects (130, 143...).
// - A run killed outright (SIGKILL, power loss) cannot clean up: the next build writing into the same
//   folder removes temps of the files it writes there whose process is gone, or that are older than
//   STALE_TEMP_MS (a pid reused by an unrelated process must not keep them forever). Temps named for
//   other files are left alone: they may be another program's.
import { randomBytes } from "node:crypto";
import { lstatSync, readdirSync, unlinkSync } from "node:fs";
import path from "node:path";

const STALE_TEMP_MS = 10 * 60 * 1000;
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Temps this process holds now, for the signal handler and so a sweep never takes one of ours. */
const live = new Set<string>();
let holders = 0;

// A random start, then a counter: unique within the process (the pid sets processes apart), and
// unguessable enough that no other writer picks the same name by chance. One random draw per process.
let nextTemp: number | undefined;

export function tempPathFor(target: string): string {
  nextTemp = ((nextTemp ?? randomBytes(4).readUInt32BE(0)) + 1) >>> 0;
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${nextTemp.toString(16).padStart(8, "0")}.tmp`);
}

function removeLive(): void {
  for (const temp of live) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed into place or removed.
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  uninstall();
  // With no listener left, raising it again ends the process as the signal would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function uninstall(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/** Runs `write` with signal handlers that remove the temps it registers; handlers are only installed meanwhile. */
export async function holdingTemps<T>(write: (temps: { add(temp: string): void; done(temp: string): void }) => Promise<T>): Promise<T> {
  if (holders++ === 0) for (const s of SIGNALS) process.on(s, onSignal);
  const mine = new Set<string>();
  try {
    return await write({
      add: (temp) => {
        mine.add(temp);
        live.add(temp);
      },
      done: (temp) => {
        mine.delete(temp);
        live.delete(temp);
      },
    });
  } finally {
    for (const temp of mine) {
      try {
        unlinkSync(temp);
      } catch {
        // Never created, or already gone.
      }
      live.delete(temp);
    }
    if (--holders === 0) uninstall();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/**
 * Removes leftover temps of killed runs from `dir` that were for a file `ours` accepts (by its name);
 * returns their paths. Missing or unreadable folders are skipped.
 */
export function removeStaleTemps(dir: string, ours: (name: string) => boolean, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || !ours(m[1] as string)) continue;
    const file = path.join(dir, name);
    if (live.has(file)) continue;
    try {
      const st = lstatSync(file);
      // Our own pid on a temp we do not hold: a previous process that had this pid (containers reuse them).
      const pid = Number(m[2]);
      const stale = pid === process.pid || !alive(pid) || now - st.mtimeMs > STALE_TEMP_MS;
      if (st.isFile() && stale) {
        unlinkSync(file);
        removed.push(file);
      }
    } catch {
      // Removed meanwhile by its owner.
    }
  }
  return removed;
}
