/** Parses YAML (and JSON, which the same parser reads) into located nodes, refusing what a config must not contain. */
import { parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from "yaml";
import { error, type Diagnostic } from "../diagnostics/index.js";
import type { LEntry, LNode } from "./lnode.js";
import { locate, type Source, type Span } from "./source.js";
import { parseYamlFast } from "./yaml-fast.js";
import { yamlStringSegment } from "./yaml-segment.js";

/** Nodes that aliases may expand to in one file: far above any real config, far below a billion laughs. */
export const MAX_EXPANDED_NODES = 100_000;

export interface ParsedYaml {
  root: LNode | undefined;
  diagnostics: Diagnostic[];
}

/** Reads with the fast reader when it is sure of the whole file (yaml-fast.ts), with the full parser otherwise. */
export function parseYaml(source: Source): ParsedYaml {
  // YAML reads a lone CR as a line break, but the parser does not, and its errors for such a file
  // ("nested mappings are not allowed in compact mappings") would leave a user stuck.
  const cr = /\r(?!\n)/.exec(source.text);
  if (cr) {
    const at = locate({ source, start: cr.index, end: cr.index + 1 });
    return {
      root: undefined,
      diagnostics: [error("yaml-syntax", "this line ends with a carriage return alone (old Mac line ends); save the file with LF or CRLF line ends", at)],
    };
  }
  const root = parseYamlFast(source);
  return root ? { root, diagnostics: [] } : parseYamlFull(source);
}

/** The full parser: every construct YAML has, and every diagnostic. */
export function parseYamlFull(source: Source): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  // Duplicate keys are found in the conversion below: the parser's own check is quadratic in the
  // number of keys, which a config with thousands of environments feels.
  const doc = parseDocument(source.text, { intAsBigInt: true, uniqueKeys: false, prettyErrors: false, version: "1.2" });
  const seen = new Set<number>();
  const version = doc.directives.yaml.explicit ? versionDirective(source) : undefined;
  if (version) {
    diagnostics.push(version.diagnostic);
    seen.add(version.start); // the parser's own error for a version it does not know, if any
  }
  for (const e of doc.errors) {
    const [start, end] = e.pos;
    // The parser often reports one mistake twice at the same place (e.g. an unclosed bracket).
    if (seen.has(start)) continue;
    seen.add(start);
    if (e.code === "MULTIPLE_DOCS") {
      diagnostics.push(
        error(
          "yaml-multiple-documents",
          "a second YAML document starts here; the file must hold exactly one document",
          locate({ source, start, end: start + 3 }),
        ),
      );
      continue;
    }
    diagnostics.push(error("yaml-syntax", cleanMessage(e.message), locate({ source, start, end })));
  }
  if (diagnostics.length > 0) return { root: undefined, diagnostics };
  const converter = new Converter(source, doc, diagnostics);
  const root = doc.contents ? converter.convert(doc.contents as YamlNode, []) : undefined;
  return { root, diagnostics };
}

/**
 * A `%YAML` directive other than 1.2. The parser would follow it, and YAML 1.1 reads `on` as true,
 * `010` as 8 and `1:20` as 80: a config means the same whatever its first line says, so it is refused.
 */
function versionDirective(source: Source): { diagnostic: Diagnostic; start: number } | undefined {
  // Only comments and other directives may come before it, and neither starts a line with `%YAML`.
  const m = /^%YAML[ \t]+([^ \t\r\n]+)/m.exec(source.text);
  const version = m?.[1];
  if (m === null || version === undefined || version === "1.2") return undefined;
  const start = m.index + m[0].length - version.length;
  const why = version === "1.1" ? ", and YAML 1.1 would read on, 010 and 1:20 as true, 8 and 80" : "";
  const message = `%YAML ${version} is not supported: configs are read as YAML 1.2 only${why}; remove the directive or write %YAML 1.2`;
  return { diagnostic: error("yaml-version", message, locate({ source, start, end: start + version.length })), start };
}

const CORE = "tag:yaml.org,2002:";
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => CORE + t));

const FLOAT = `${CORE}float`;
/** The integers of the core schema's !!float pattern, which the parser's !!float does not read. */
const FLOAT_INTEGER = /^[-+]?[0-9]+$/;

/**
 * Whether a core tag resolved: the parser keeps a value its tag cannot read as it was (`!!int 1.5`
 * the string "1.5", `!!str {a: 1}` a mapping) with only a warning, which no config means.
 */
function fitsTag(node: YamlNode): boolean {
  const tag = (node.tag as string).slice(CORE.length);
  if (isMap(node)) return tag === "map";
  if (isSeq(node)) return tag === "seq";
  if (!isScalar(node)) return true;
  const value = node.value;
  switch (tag) {
    case "str":
      return typeof value === "string";
    case "int":
      return typeof value === "bigint";
    case "float":
      return typeof value === "number" || (typeof value === "string" && FLOAT_INTEGER.test(value));
    case "bool":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      return false;
  }
}

function shortTag(tag: string): string {
  return tag.startsWith(CORE) ? `!!${tag.slice(CORE.length)}` : tag;
}

function cleanMessage(message: string): string {
  const cut = message.indexOf(" at line ");
  const m = (cut >= 0 ? message.slice(0, cut) : message).trim();
  return m.charAt(0).toLowerCase() + m.slice(1);
}

class Converter {
  private expanded = 0;
  private aliasLimitReported = false;

  constructor(
    private readonly source: Source,
    private readonly doc: Document,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private span(node: { range?: [number, number, number] | null | undefined }): Span {
    const r = node.range;
    return r ? { source: this.source, start: r[0], end: r[1] } : { source: this.source, start: -1, end: -1 };
  }

  /** `ancestors` holds the alias targets being expanded, to refuse recursive aliases. */
  convert(node: YamlNode, ancestors: YamlNode[]): LNode | undefined {
    if (isAlias(node)) {
      const target = node.resolve(this.doc) as YamlNode | undefined;
      if (!target) {
        this.diagnostics.push(error("yaml-alias", `unknown alias *${node.source}`, locate(this.span(node))));
        return undefined;
      }
      if (ancestors.includes(target)) {
        this.diagnostics.push(error("yaml-alias", `alias *${node.source} refers to a node that contains it`, locate(this.span(node))));
        return undefined;
      }
      return this.convert(target, [...ancestors, target]);
    }
    if (ancestors.length > 0 && ++this.expanded > MAX_EXPANDED_NODES) {
      if (!this.aliasLimitReported) {
        this.aliasLimitReported = true;
        this.diagnostics.push(
          error("yaml-alias", `YAML aliases expand to more than ${MAX_EXPANDED_NODES} nodes; refusing to expand (billion laughs?)`, locate(this.span(node))),
        );
      }
      return undefined;
    }
    if (this.aliasLimitReported) return undefined;
    const span = this.span(node);
    // A tag the core schema does not define (`!env NAME`, `!!omap`, `!!set`) would otherwise be read
    // silently as a plain value, which is never what its author meant.
    if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
      this.diagnostics.push(error("yaml-tag", `the YAML tag ${shortTag(node.tag)} is not supported; write the value without a tag`, locate(span)));
      return undefined;
    }
    if (node.tag !== undefined && !fitsTag(node)) {
      const what = isScalar(node) ? `the value ${JSON.stringify(String(node.source ?? node.value))}` : isMap(node) ? "a mapping" : "a list";
      this.diagnostics.push(error("yaml-tag", `${what} cannot be read as ${shortTag(node.tag)}`, locate(span)));
      return undefined;
    }
    if (isScalar(node)) {
      let value = node.value;
      // YAML 1.2's !!float reads integers too (`!!float 1` is 1.0); the parser keeps them as text.
      if (node.tag === FLOAT && typeof value === "string") value = Number(value);
      // With intAsBigInt every YAML int arrives as a bigint, so a plain number was written as a float.
      const float = typeof value === "number";
      if (typeof value === "bigint" && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) value = Number(value);
      if (typeof value === "number" && !Number.isFinite(value)) {
        this.diagnostics.push(error("non-finite", `${String(node.source ?? value)} is not a finite number; JSON headers cannot carry it`, locate(span)));
        return undefined;
      }
      if (value !== null && !["string", "number", "bigint", "boolean"].includes(typeof value)) {
        this.diagnostics.push(error("yaml-type", `unsupported YAML value of type ${typeof value}`, locate(span)));
        return undefined;
      }
      const out: LNode = { kind: "scalar", value: value as string, float, span };
      if (typeof value === "string" && value.length > 0) out.segments = [yamlStringSegment(this.source, span, value)];
      return out;
    }
    if (isSeq(node)) {
      const items: LNode[] = [];
      for (const item of node.items) {
        const c = this.convert(item as YamlNode, ancestors);
        if (c) items.push(c);
      }
      return { kind: "seq", items, span };
    }
    if (isMap(node)) {
      const entries = new Map<string, LEntry>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const keySpan = keyNode ? this.span(keyNode) : span;
        if (!keyNode || !isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === "object") {
          this.diagnostics.push(error("yaml-key", "mapping keys must be plain strings", locate(keySpan)));
          continue;
        }
        // A plain key such as 50256 is a token id, not a number: keep the text as written.
        const key = typeof keyNode.value === "string" ? keyNode.value : (keyNode.source ?? String(keyNode.value));
        if (key === "__proto__") {
          this.diagnostics.push(error("forbidden-key", "the key __proto__ is not allowed", locate(keySpan)));
          continue;
        }
        if (key === "<<" && keyNode.type === "PLAIN") {
          this.diagnostics.push(
            error("yaml-merge-key", "YAML merge keys (<<) are not supported; use `extends` or an alias of the whole value", locate(keySpan)),
          );
          continue;
        }
        const earlier = entries.get(key);
        if (earlier) {
          const first = locate(earlier.keySpan);
          this.diagnostics.push(error("duplicate-key", `duplicate key ${JSON.stringify(key)} (first written at line ${first.line})`, locate(keySpan)));
          continue;
        }
        const valueNode = pair.value as YamlNode | null;
        const value = valueNode ? this.convert(valueNode, ancestors) : { kind: "scalar" as const, value: null, float: false, span: keySpan };
        if (value) entries.set(key, { key, keySpan, value });
      }
      return { kind: "map", entries, span };
    }
    this.diagnostics.push(error("yaml-type", "unsupported YAML node", locate(span)));
    return undefined;
  }
}
