/**
 * The text edit behind `promote`: set `environments.TO.policy` to a new value by replacing only
 * the bytes of that one value in the config file. Everything else (comments, layout, flow
 * styles, CRLF line ends, a BOM) is kept byte for byte. Shared YAML nodes are never edited in
 * place: a block that is an alias is given a copy of its own; an edit that would remove an
 * anchor other blocks still use, or change a block that others share, is refused.
 */
import { Document, Scalar, isAlias, isMap, isScalar, parseDocument, visit, type Node as YamlNode, type Pair, type YAMLMap } from "yaml";
import { escapeControlsInJson, hasUnsafeChars } from "../diagnostics/escape.js";
import type { LNode } from "../load/lnode.js";

export type PolicyEdit = { ok: true; text: string } | { ok: false; why: string };

/** Replaces `environments.<env>.policy` in `text` (a YAML config without its BOM) by `value`. */
export function editPolicy(text: string, env: string, value: LNode): PolicyEdit {
  const doc = parseDocument(text, { intAsBigInt: true, version: "1.2", uniqueKeys: false });
  const nl = text.includes("\r\n") ? "\r\n" : "\n";
  const used = aliasCounts(doc);
  const envs = doc.get("environments", true);
  if (!isMap(envs)) return { ok: false, why: "`environments` is not a mapping written in this file" };
  if (sharedAnchor(envs, used)) return { ok: false, why: `\`environments\` carries the anchor &${envs.anchor}, which other parts of the file use` };
  const pair = envs.items.find((p) => isScalar(p.key) && String(p.key.value) === env) as Pair<Scalar, YamlNode | null> | undefined;
  if (!pair) return { ok: false, why: `environments.${env} is not written in this file` };
  const block = pair.value;
  const policyValue = toYaml(value);

  if (isAlias(block)) {
    // The block is another block's anchor: give it a copy of its own, with the new policy.
    const target = block.resolve(doc);
    if (!isMap(target)) return { ok: false, why: `environments.${env} is an alias of something that is not a mapping` };
    const copy = target.clone() as YAMLMap;
    visit(copy, { Node: (_, n) => void ("anchor" in n && (n.anchor = undefined)) });
    copy.set("policy", policyValue);
    return replaceRange(text, block.range as [number, number, number], renderValue(copy, indentOf(text, pair), nl, true));
  }
  if (block === null || (isScalar(block) && block.value === null)) {
    // `prod:` or `prod: null`: the new block goes after the colon.
    const colon = text.indexOf(":", (pair.key.range as [number, number, number])[1]);
    const end = block ? (block.range as [number, number, number])[1] : colon + 1;
    return { ok: true, text: text.slice(0, colon + 1) + renderValue(new Map([["policy", policyValue]]), indentOf(text, pair), nl, true) + text.slice(end) };
  }
  if (!isMap(block)) return { ok: false, why: `environments.${env} is not a mapping` };
  if (sharedAnchor(block, used))
    return { ok: false, why: `environments.${env} carries the anchor &${block.anchor}, which other blocks use; promote would change them too` };
  const policyPair = block.items.find((p) => isScalar(p.key) && p.key.value === "policy") as Pair<Scalar, YamlNode | null> | undefined;
  if (policyPair?.value) {
    const old = policyPair.value;
    const anchors = anchorsUsedOutside(old, used);
    if (anchors.length > 0)
      return {
        ok: false,
        why: `environments.${env}.policy defines ${anchors.map((a) => `&${a}`).join(", ")}, which other blocks use; promote would remove it`,
      };
    const range = old.range as [number, number, number];
    if (block.flow) return replaceRange(text, range, renderFlow(policyValue));
    const keyStart = (policyPair.key.range as [number, number, number])[0];
    const column = keyStart - lineStart(text, keyStart);
    // Keep any comment between the key and a block value; the new value starts after the colon.
    const colon = text.indexOf(":", (policyPair.key.range as [number, number, number])[1]);
    return replaceRange(text, [colon + 1, range[1], range[2]], renderValue(policyValue, column, nl, false));
  }
  // No policy key yet: add one as the block's last entry, in the block's own style.
  const range = block.range as [number, number, number];
  if (block.flow) {
    const close = text.lastIndexOf("}", range[1]);
    const sep = block.items.length > 0 ? ", " : "";
    return { ok: true, text: text.slice(0, close).replace(/\s*$/, "") + `${sep}policy: ${renderFlow(policyValue)}` + text.slice(close) };
  }
  const last = block.items.at(-1) as Pair<Scalar, YamlNode | null>;
  const firstKey = ((block.items[0] as Pair<Scalar, unknown>).key as Scalar).range as [number, number, number];
  const column = firstKey[0] - lineStart(text, firstKey[0]);
  const end = endOfValue(text, last);
  return {
    ok: true,
    text: text.slice(0, end) + nl + " ".repeat(column) + "policy:" + renderValue(policyValue, column, nl, false).replace(/^ /, " ") + text.slice(end),
  };
}

/** How often each anchor is used by an alias in the whole document. */
function aliasCounts(doc: Document): Map<string, number> {
  const counts = new Map<string, number>();
  visit(doc, { Alias: (_, a) => void counts.set(a.source, (counts.get(a.source) ?? 0) + 1) });
  return counts;
}

function sharedAnchor(node: YamlNode, used: Map<string, number>): boolean {
  return node.anchor !== undefined && (used.get(node.anchor) ?? 0) > 0;
}

/** Anchors defined inside `node` that an alias outside it uses (removing `node` would leave that alias dangling). */
function anchorsUsedOutside(node: YamlNode, used: Map<string, number>): string[] {
  const defined = new Set<string>();
  const inside = new Map<string, number>();
  visit(node, {
    Node: (_, n) => void ("anchor" in n && typeof n.anchor === "string" && defined.add(n.anchor)),
    Alias: (_, a) => void inside.set(a.source, (inside.get(a.source) ?? 0) + 1),
  });
  return [...defined].filter((a) => (used.get(a) ?? 0) > (inside.get(a) ?? 0));
}

/** The key column of an `environments` entry, for indenting a new block under it. */
function indentOf(text: string, pair: Pair<Scalar, unknown>): number {
  const start = (pair.key.range as [number, number, number])[0];
  return start - lineStart(text, start) + 2;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Where the last entry's value ends, before its line break (block ranges include trailing breaks). */
function endOfValue(text: string, pair: Pair<Scalar, YamlNode | null>): number {
  const node = pair.value ?? pair.key;
  let end = (node.range as [number, number, number])[1];
  while (end > 0 && (text[end - 1] === "\n" || text[end - 1] === "\r")) end--;
  return end;
}

function replaceRange(text: string, range: [number, number, number], replacement: string): PolicyEdit {
  let end = range[1];
  // A block collection's range runs through its last line break: keep the break.
  while (end > range[0] && (text[end - 1] === "\n" || text[end - 1] === "\r")) end--;
  return { ok: true, text: text.slice(0, range[0]) + replacement + text.slice(end) };
}

/**
 * A value placed after `key:`, in block style: a space then a scalar, or a break and the
 * mapping's lines indented under the key. `column` is the key's column (or, with `asBlock`, the
 * column the mapping's keys go at).
 */
function renderValue(value: unknown, column: number, nl: string, asBlock: boolean): string {
  const body = yamlText(value, false);
  if (!body.includes("\n") && !(value instanceof Map || isMap(value))) return " " + body;
  const pad = " ".repeat(asBlock ? column : column + 2);
  return (
    nl +
    body
      .split("\n")
      .map((l) => (l === "" ? l : pad + l))
      .join(nl)
  );
}

/** A value in flow style on one line: fits inside `{...}` as well as after a block key. */
function renderFlow(value: unknown): string {
  return yamlText(value, true);
}

/**
 * YAML text of a value, without its final break. A string holding a control or bidi character is
 * written double-quoted with that character as a `\uXXXX` escape, never raw (the file it came from
 * may have escaped it too; a raw one would restyle or reorder what an editor or terminal shows). In
 * flow style a multi-line string is double-quoted as well, so the value stays on one line.
 */
function yamlText(value: unknown, flow: boolean): string {
  const doc = new Document(value, { version: "1.2" });
  visit(doc, {
    Scalar(_, node) {
      const v = node.value;
      if (typeof v === "string" && (hasUnsafeChars(v) || (flow && v.includes("\n")))) node.type = "QUOTE_DOUBLE";
    },
  });
  // JSON-style double quotes are one line; what JSON leaves raw (DEL, C1, bidi) is escaped after.
  const text = doc.toString({ lineWidth: 0, doubleQuotedAsJSON: true, ...(flow ? { collectionStyle: "flow" } : { indent: 2 }) });
  return escapeControlsInJson(text).replace(/\n$/, "");
}

/** The located value as YAML-ready data: Maps keep key order, integral floats keep their `.0`. */
function toYaml(n: LNode): unknown {
  if (n.kind === "seq") return n.items.map(toYaml);
  if (n.kind === "map") return new Map([...n.entries].map(([k, e]) => [k, toYaml(e.value)]));
  if (n.float && typeof n.value === "number" && Number.isInteger(n.value)) {
    const s = new Scalar(n.value);
    s.minFractionDigits = 1;
    return s;
  }
  return n.value;
}
