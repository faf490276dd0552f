/**
 * `$overrides` is the escape hatch for fields the schema does not know yet: it is merged into the
 * header after validation, unvalidated. Setting a field the schema does know bypasses that
 * field's checks, so it deserves a warning at the override.
 */
import type * as z from "zod";
import { warning, type Diagnostic } from "../diagnostics/index.js";
import type { LNode } from "../load/lnode.js";
import { locate } from "../load/source.js";
import { fieldOf, kindOf, unwrap } from "../schema/introspect.js";

/** One `override-validated-field` warning per override that replaces a schema field's value. */
export function overrideWarnings(section: string, schema: z.ZodType, overrides: LNode, environment: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (node: LNode, model: z.ZodType, at: string) => {
    if (node.kind !== "map") return;
    for (const [key, entry] of node.entries) {
      const field = fieldOf(model, key);
      if (!field) continue;
      const inner = unwrap(field.schema).schema;
      // A mapping merged into an object field replaces only what it names: look deeper.
      if (entry.value.kind === "map" && kindOf(inner).kind === "object") {
        walk(entry.value, inner, `${at}.${key}`);
        continue;
      }
      out.push(
        warning(
          "override-validated-field",
          `$overrides sets ${at}.${key}, a field the schema validates; the value is sent as written, without its checks`,
          locate(entry.keySpan),
          {
            environments: [environment],
          },
        ),
      );
    }
  };
  walk(overrides, schema, section);
  return out;
}
