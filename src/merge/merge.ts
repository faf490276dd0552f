/**
 * The one place that merges layers (product.md, "Layers and merge rules"):
 * mappings merge key by key; anything else is replaced by the later value; `null` deletes;
 * a mapping with a single `$` key is a directive applied to the earlier value.
 * Nodes are never mutated, so layers shared by many environments are merged safely.
 */
import { error, type Diagnostic } from "../diagnostics/index.js";
import { describeKind, directiveKey, type LEntry, type LMap, type LNode, type LScalar, type LSeq, type TextSegment } from "../load/lnode.js";
import { locate, type Span } from "../load/source.js";
import { nodesEqual } from "./equal.js";

/** Where merge problems go; environmentMerger names the environments they affect. */
export interface MergeContext {
  diagnostics: Diagnostic[];
}

/** Merges `later` over `earlier`; `undefined` means the key is deleted (or was never there). */
export function mergeValue(earlier: LNode | undefined, later: LNode, ctx: MergeContext): LNode | undefined {
  if (later.kind === "scalar" && later.value === null) return undefined;
  const directive = directiveKey(later);
  if (directive !== undefined && later.kind === "map") {
    const entry = later.entries.get(directive) as LEntry;
    return applyDirective(directive, entry, earlier, later.span, ctx);
  }
  if (later.kind === "map") {
    const base = earlier?.kind === "map" ? earlier : undefined;
    return mergeMaps(base, later, ctx);
  }
  if (later.kind === "seq") return normalizeSeq(later, ctx);
  return later;
}

function mergeMaps(earlier: LMap | undefined, later: LMap, ctx: MergeContext): LMap | undefined {
  const entries = new Map<string, LEntry>(earlier?.entries);
  for (const [key, e] of later.entries) {
    const merged = mergeValue(entries.get(key)?.value, e.value, ctx);
    if (merged === undefined) entries.delete(key);
    else entries.set(key, { key, keySpan: e.keySpan, value: merged });
  }
  return { kind: "map", entries, span: later.span };
}

/** A sequence as written, with directives inside its items resolved against nothing. */
function normalizeSeq(seq: LSeq, ctx: MergeContext): LSeq {
  const items: LNode[] = [];
  for (const item of seq.items) {
    const n = item.kind === "scalar" ? item : mergeValue(undefined, item, ctx);
    if (n) items.push(n);
  }
  return { kind: "seq", items, span: seq.span };
}

function where(n: LNode): string {
  const l = locate(n.span);
  return l.line > 0 ? ` (set at ${l.file}:${l.line}:${l.column})` : "";
}

/** Reports a directive applied to the wrong kind of value; the earlier value is kept. */
function wrongKind(ctx: MergeContext, directive: string, wants: string, earlier: LNode, span: Span): LNode {
  ctx.diagnostics.push(
    error("directive-kind", `${directive} applies to ${wants}, but the value it would change is ${describeKind(earlier)}${where(earlier)}`, locate(span)),
  );
  return earlier;
}

function applyDirective(directive: string, entry: LEntry, earlier: LNode | undefined, span: Span, ctx: MergeContext): LNode | undefined {
  const arg = entry.value;
  const at = entry.keySpan;
  switch (directive) {
    case "$replace":
      return mergeValue(undefined, arg, ctx);
    case "$append":
    case "$prepend": {
      const front = directive === "$prepend";
      if (arg.kind === "scalar" && typeof arg.value === "string") {
        if (earlier && !(earlier.kind === "scalar" && typeof earlier.value === "string")) return wrongKind(ctx, directive, "a string here", earlier, at);
        return joinText(earlier as LScalar | undefined, arg, front, span);
      }
      if (arg.kind !== "seq") {
        ctx.diagnostics.push(error("directive-arg", `${directive} takes a list (or a string for text)`, locate(arg.span)));
        return earlier;
      }
      if (earlier && earlier.kind !== "seq") return wrongKind(ctx, directive, "a list here", earlier, at);
      const added = normalizeSeq(arg, ctx).items;
      const old = earlier?.items ?? [];
      return { kind: "seq", items: front ? [...added, ...old] : [...old, ...added], span };
    }
    case "$remove": {
      if (arg.kind !== "seq") {
        ctx.diagnostics.push(error("directive-arg", "$remove takes a list of items (or names) to drop", locate(arg.span)));
        return earlier;
      }
      if (earlier && earlier.kind !== "seq") return wrongKind(ctx, directive, "a list", earlier, at);
      const drop = normalizeSeq(arg, ctx).items;
      const items = (earlier?.items ?? []).filter((item) => !drop.some((d) => nodesEqual(d, item) || namedAs(item, d)));
      return { kind: "seq", items, span };
    }
    case "$merge": {
      if (arg.kind !== "seq") {
        ctx.diagnostics.push(error("directive-arg", "$merge takes a list of named mappings", locate(arg.span)));
        return earlier;
      }
      if (earlier && earlier.kind !== "seq") return wrongKind(ctx, directive, "a list of named mappings", earlier, at);
      const items = [...(earlier?.items ?? [])];
      for (const upd of arg.items) {
        const name = nameOf(upd);
        if (name === undefined) {
          ctx.diagnostics.push(error("directive-arg", "$merge items must be mappings with a `name`", locate(upd.span)));
          continue;
        }
        const i = items.findIndex((item) => nameOf(item) === name);
        const merged = mergeValue(i >= 0 ? items[i] : undefined, upd, ctx);
        if (!merged) continue;
        if (i >= 0) items[i] = merged;
        else items.push(merged);
      }
      return { kind: "seq", items, span };
    }
    default:
      ctx.diagnostics.push(error("bad-directive", `unknown directive ${directive}`, locate(at)));
      return earlier;
  }
}

function nameOf(n: LNode): string | undefined {
  if (n.kind !== "map") return undefined;
  const v = n.entries.get("name")?.value;
  return v?.kind === "scalar" && typeof v.value === "string" ? v.value : undefined;
}

/** For lists of named objects, a bare name removes the item of that name. */
function namedAs(item: LNode, d: LNode): boolean {
  return d.kind === "scalar" && typeof d.value === "string" && nameOf(item) === d.value;
}

/** S + "\n" + T (or T + "\n" + S), keeping where every character came from. */
function joinText(earlier: LScalar | undefined, added: LScalar, front: boolean, span: Span): LScalar {
  const s = (earlier?.value as string | undefined) ?? "";
  const t = added.value as string;
  if (s === "") return { ...added, span };
  const [first, second] = front ? [added, earlier as LScalar] : [earlier as LScalar, added];
  const a = first.value as string;
  const segments: TextSegment[] = [...shift(first.segments, 0), ...shift(second.segments, a.length + 1)];
  return { kind: "scalar", value: front ? `${t}\n${s}` : `${s}\n${t}`, float: false, span, segments };
}

function shift(segments: TextSegment[] | undefined, by: number): TextSegment[] {
  return (segments ?? []).map((seg) => ({ start: seg.start + by, end: seg.end + by, locate: seg.locate }));
}
