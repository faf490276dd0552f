/**
 * A unified line diff (Myers' O(ND) algorithm), for showing policy code as lines instead of two
 * escaped strings. Past MAX_EDITS differing lines the middle is shown as removed then added:
 * still correct, just less minimal, and never quadratic.
 */

type Op = { sign: " " | "-" | "+"; line: string };

const MAX_EDITS = 2000;
const CONTEXT = 3;

/** How many lines `a` and `b` share at their start (or end), at most `limit`. */
function shared(a: string[], b: string[], fromEnd: boolean, limit: number): number {
  let n = 0;
  while (n < limit && a[fromEnd ? a.length - 1 - n : n] === b[fromEnd ? b.length - 1 - n : n]) n++;
  return n;
}

/** The shortest edit script from `a` to `b` (common first and last lines set aside first). */
function edits(a: string[], b: string[]): Op[] {
  const most = Math.min(a.length, b.length);
  const head = shared(a, b, false, most);
  const tail = shared(a, b, true, most - head);
  const same = (lines: string[]): Op[] => lines.map((line) => ({ sign: " ", line }));
  return [...same(a.slice(0, head)), ...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail)), ...same(a.slice(a.length - tail))];
}

function middle(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return [...a.map((line) => ({ sign: "-" as const, line })), ...b.map((line) => ({ sign: "+" as const, line }))];
}

/** Walks the saved frontiers back from the end; `trace[d]` holds V[k] for k in [-d-1, d+1]. */
function backtrack(trace: Int32Array[], a: string[], b: string[], last: number): Op[] {
  const out: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = last; d > 0; d--) {
    const frontier = trace[d] as Int32Array;
    const at = (k: number) => frontier[k + d + 1] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      out.push({ sign: " ", line: a[--x] as string });
    }
    if (down) out.push({ sign: "+", line: b[--y] as string });
    else out.push({ sign: "-", line: a[--x] as string });
  }
  while (x > 0 && y > 0) {
    y--;
    out.push({ sign: " ", line: a[--x] as string });
  }
  return out.reverse();
}

function lines(text: string): string[] {
  if (text === "") return [];
  const all = text.split("\n");
  if (all.at(-1) === "") all.pop();
  return all;
}

/** `--- A` / `+++ B` then hunks with three lines of context; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }): string[] {
  const ops = edits(lines(before), lines(after));
  if (!ops.some((o) => o.sign !== " ")) return [];
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  // Lines of each side before op j.
  const aAt = [0];
  const bAt = [0];
  for (const o of ops) {
    aAt.push((aAt.at(-1) as number) + (o.sign === "+" ? 0 : 1));
    bAt.push((bAt.at(-1) as number) + (o.sign === "-" ? 0 : 1));
  }
  let i = 0;
  while (i < ops.length) {
    let first = i;
    while (first < ops.length && ops[first]?.sign === " ") first++;
    if (first === ops.length) break;
    // A hunk runs until more than twice the context of unchanged lines separates it from the next change.
    let end = first;
    for (let j = first; j < ops.length; j++) {
      if (ops[j]?.sign !== " ") end = j;
      else if (j - end > 2 * CONTEXT) break;
    }
    const from = Math.max(i, first - CONTEXT);
    const to = Math.min(ops.length, end + CONTEXT + 1);
    const [aStart, bStart] = [aAt[from] as number, bAt[from] as number];
    const [aLen, bLen] = [(aAt[to] as number) - aStart, (bAt[to] as number) - bStart];
    out.push(`@@ -${aLen === 0 ? aStart : aStart + 1},${aLen} +${bLen === 0 ? bStart : bStart + 1},${bLen} @@`);
    for (const o of ops.slice(from, to)) out.push(`${o.sign}${o.line}`);
    i = to;
  }
  return out;
}
