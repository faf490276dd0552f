import * as z from "zod";

/**
 * Set-typed fields of the SDK (Python `set[str]`): accepted as lists, serialized sorted and
 * without duplicates. JSON Schema has no set type, so the marker lives beside the schema.
 */
const SET_SCHEMAS = new WeakSet<z.ZodType>();

export function setOf<T extends z.ZodType>(item: T) {
  const schema = z.array(item).meta({ description: "A set: duplicates are dropped and items sorted when serialized." });
  SET_SCHEMAS.add(schema);
  return schema;
}

export function isSetSchema(schema: z.ZodType): boolean {
  return SET_SCHEMAS.has(schema);
}
