/**
 * Located nodes from a JS value: a JS/TS config's default export, and the tool's own data (presets,
 * defaults, simulated steps). Only JSON-like values are taken, so that nothing is silently changed on
 * the way to a header: plain objects (prototype `Object.prototype` or null) and arrays of strings,
 * finite numbers, bigints, booleans and null. A property whose value is `undefined` is left out, as
 * JSON.stringify leaves it out (a `null` would mean "delete" in a merge); anything else is a problem
 * named by its field path, since a JS value has no position in the file.
 */
import type { ErrorCode } from "../errors.js";
import { scalar, type LEntry, type LNode } from "./lnode.js";
import type { Span } from "./source.js";

/** Values that shared objects may expand to beyond the objects themselves: the limit YAML aliases have (yaml.ts). */
const MAX_SHARED_EXPANSION = 100_000;

export interface PlainProblem {
  code: Extract<ErrorCode, "config-type" | "non-finite" | "forbidden-key">;
  /** Field path of the value (`environments.dev.config`, `tags[2]`), or the name given to the value itself. */
  where: string;
  /** What is wrong, in words after the path. */
  message: string;
}

export interface PlainNodes {
  /** The nodes, when there is no problem. */
  node: LNode | undefined;
  problems: PlainProblem[];
}

/** Every problem of `value` at once, and its nodes when it has none; `rootName` names the value itself in messages. */
export function readPlain(value: unknown, span: Span, rootName: string): PlainNodes {
  return readFrom(value, span, "", rootName);
}

/** Nodes from data the tool or a library caller built; a value a config cannot hold throws a TypeError naming its path. */
export function fromPlain(value: unknown, span: Span, path: string): LNode {
  const rootName = path || "the value";
  const { node, problems } = readFrom(value, span, path, rootName);
  const [first] = problems;
  if (first) throw new TypeError(`${first.where}: ${first.message}`);
  return node as LNode;
}

function readFrom(value: unknown, span: Span, path: string, rootName: string): PlainNodes {
  const reader = new PlainReader(span, rootName);
  const { node } = reader.read(value, path);
  return reader.problems.length > 0 ? { node: undefined, problems: reader.problems } : { node, problems: [] };
}

/** A node (undefined after a problem) and how many values it stands for once shared objects are copied. */
interface Read {
  node: LNode | undefined;
  size: number;
}

const FAILED: Read = { node: undefined, size: 1 };

class PlainReader {
  readonly problems: PlainProblem[] = [];
  /** Objects being read, by the path they were first reached at: reaching one again is a cycle. */
  private readonly open = new Map<object, string>();
  /** Objects read already, with their nodes and how many values they expand to: a shared object is read once. */
  private readonly done = new Map<object, Read>();
  private expansion = 0;
  private expansionReported = false;

  constructor(
    private readonly span: Span,
    private readonly rootName: string,
  ) {}

  private problem(code: PlainProblem["code"], path: string, message: string): void {
    this.problems.push({ code, where: this.name(path), message });
  }

  private name(path: string): string {
    return path || this.rootName;
  }

  read(value: unknown, path: string): Read {
    switch (typeof value) {
      case "string":
      case "boolean":
      case "bigint":
        return { node: scalar(value, this.span), size: 1 };
      case "number":
        return { node: this.number(value, path), size: 1 };
      case "undefined":
        this.problem("config-type", path, "undefined cannot be part of a config; write null");
        return FAILED;
      case "function":
      case "symbol":
        this.problem("config-type", path, `a ${typeof value} cannot be part of a config`);
        return FAILED;
    }
    if (value === null) return { node: scalar(null, this.span), size: 1 };
    const object = value as object;
    const cycleAt = this.open.get(object);
    if (cycleAt !== undefined) {
      this.problem("config-type", path, `a circular reference (back to ${this.name(cycleAt)}) cannot be part of a config`);
      return FAILED;
    }
    const known = this.done.get(object);
    if (known) {
      // Shared objects are fine (one base object in several environments), but each use is a copy
      // for everything downstream: nested sharing must not expand to more than a file could write.
      this.expansion += known.size;
      if (this.expansion > MAX_SHARED_EXPANSION && !this.expansionReported) {
        this.expansionReported = true;
        this.problem("config-type", path, `objects and arrays used in several places expand to more than ${MAX_SHARED_EXPANSION} values; refusing to expand`);
      }
      return known;
    }
    this.open.set(object, path);
    const read = Array.isArray(object) ? this.list(object, path) : this.object(object, path);
    this.open.delete(object);
    this.done.set(object, read);
    return read;
  }

  private number(value: number, path: string): LNode | undefined {
    if (!Number.isFinite(value)) {
      this.problem("non-finite", path, `${String(value)} is not a finite number; JSON headers cannot carry it`);
      return undefined;
    }
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      // The number is already rounded: which integer the file meant is lost. A bigint keeps it exact.
      this.problem(
        "config-type",
        path,
        `${String(value)} is beyond 2^53 - 1, so a number cannot hold it exactly; write the integer as a bigint, such as ${BigInt(value)}n`,
      );
      return undefined;
    }
    return scalar(value, this.span, !Number.isInteger(value));
  }

  private list(array: readonly unknown[], path: string): Read {
    const items: LNode[] = [];
    let size = 1;
    let ok = true;
    for (let i = 0; i < array.length; i++) {
      const at = `${path}[${i}]`;
      if (!(i in array)) {
        this.problem("config-type", at, "a hole in a list (as in [1, , 3]) cannot be part of a config; write the item, or null");
        ok = false;
        continue;
      }
      const item = this.read(array[i], at);
      size += item.size;
      if (item.node) items.push(item.node);
      else ok = false;
    }
    return { node: ok ? { kind: "seq", items, span: this.span } : undefined, size };
  }

  private object(object: object, path: string): Read {
    const proto: unknown = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      this.problem(
        "config-type",
        path,
        `${describeObject(proto)} cannot be part of a config; only plain objects, arrays, strings, numbers, bigints, booleans and null can`,
      );
      return FAILED;
    }
    const entries = new Map<string, LEntry>();
    let size = 1;
    let ok = true;
    for (const [key, v] of Object.entries(object)) {
      if (v === undefined) continue;
      const at = path ? `${path}.${key}` : key;
      if (key === "__proto__") {
        this.problem("forbidden-key", at, "the key __proto__ is not allowed");
        ok = false;
        continue;
      }
      const read = this.read(v, at);
      size += read.size;
      if (read.node) entries.set(key, { key, keySpan: this.span, value: read.node });
      else ok = false;
    }
    return { node: ok ? { kind: "map", entries, span: this.span } : undefined, size };
  }
}

/** "a Date object", "an Error object", "a Foo object" (a class instance), from the object's prototype. */
function describeObject(proto: unknown): string {
  const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== "string" || name === "" || name === "Object") return "an object that is not a plain object (its prototype is not Object.prototype)";
  return `${/^[AEIO]/.test(name) ? "an" : "a"} ${name} object`;
}
