/**
 * A small, typed view of the zod definitions, so that the serializer and the config-file schema
 * builder walk the header models without touching zod internals all over the code.
 */
import * as z from "zod";
import { isSetSchema } from "./sets.js";

export interface Field {
  name: string;
  schema: z.ZodType;
  /** The default zod fills in when the key is absent; `undefined` when it has none. */
  default?: unknown;
  hasDefault: boolean;
}

export type Kind =
  | { kind: "object"; fields: Field[] }
  | { kind: "array"; item: z.ZodType; set: boolean }
  | { kind: "record"; key: z.ZodType; value: z.ZodType }
  | { kind: "int" }
  | { kind: "float" }
  | { kind: "string" }
  | { kind: "boolean" }
  | { kind: "enum"; values: string[] }
  | { kind: "literal"; values: unknown[] }
  | { kind: "union"; options: z.ZodType[] }
  | { kind: "unknown" };

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  format?: string;
  entries?: Record<string, string>;
  options?: z.ZodType[];
  values?: unknown[];
}

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips `optional`/`default` wrappers, reporting the default when there is one. */
export function unwrap(schema: z.ZodType): { schema: z.ZodType; hasDefault: boolean; default?: unknown } {
  let s = schema;
  let hasDefault = false;
  let dflt: unknown;
  for (;;) {
    const d = def(s);
    if (d.type === "optional" || d.type === "nullable" || d.type === "readonly") s = d.innerType as z.ZodType;
    else if (d.type === "default" || d.type === "prefault") {
      if (!hasDefault) {
        hasDefault = true;
        dflt = d.defaultValue;
      }
      s = d.innerType as z.ZodType;
    } else return hasDefault ? { schema: s, hasDefault, default: dflt } : { schema: s, hasDefault };
  }
}

/** The description written on a schema or on one of its optional/default wrappers, outermost first. */
export function descriptionOf(schema: z.ZodType): string | undefined {
  let s: z.ZodType | undefined = schema;
  while (s) {
    const description = z.globalRegistry.get(s)?.description;
    if (description) return description;
    const d = def(s);
    s = ["optional", "nullable", "readonly", "default", "prefault"].includes(d.type) ? d.innerType : undefined;
  }
  return undefined;
}

const kinds = new WeakMap<z.ZodType, Kind>();

export function kindOf(schema: z.ZodType): Kind {
  const cached = kinds.get(schema);
  if (cached) return cached;
  const k = computeKind(unwrap(schema).schema);
  kinds.set(schema, k);
  return k;
}

function computeKind(s: z.ZodType): Kind {
  const d = def(s);
  switch (d.type) {
    case "object":
      return {
        kind: "object",
        fields: Object.entries(d.shape ?? {}).map(([name, fieldSchema]) => {
          const u = unwrap(fieldSchema);
          return { name, schema: fieldSchema, hasDefault: u.hasDefault, ...(u.hasDefault ? { default: u.default } : {}) };
        }),
      };
    case "array":
      return { kind: "array", item: d.element as z.ZodType, set: isSetSchema(s) };
    case "record":
      return { kind: "record", key: d.keyType as z.ZodType, value: d.valueType as z.ZodType };
    case "number":
      return d.format === "safeint" || d.format === "int32" ? { kind: "int" } : { kind: "float" };
    case "string":
      return { kind: "string" };
    case "boolean":
      return { kind: "boolean" };
    case "enum":
      return { kind: "enum", values: Object.values(d.entries ?? {}) };
    case "literal":
      return { kind: "literal", values: d.values ?? [] };
    case "union":
      return { kind: "union", options: d.options ?? [] };
    default:
      return { kind: "unknown" };
  }
}

/** The object kind's field list by name, for walking a path. */
export function fieldOf(schema: z.ZodType, name: string): Field | undefined {
  const k = kindOf(schema);
  return k.kind === "object" ? k.fields.find((f) => f.name === name) : undefined;
}
