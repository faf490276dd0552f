/**
 * The schema of `sequrity.config.yaml` itself, derived from the header models: in a layer every
 * field is optional, may be `null` (delete) and may be a merge directive that fits its type.
 * Exported as `sequrity-config.schema.json` for editors, and used to check each layer as written.
 */
import * as z from "zod";
import { ConfigHeader, FeaturesHeader, PolicyCodes, PolicyHeader } from "./headers.js";
import { kindOf, unwrap } from "./introspect.js";
import { PRESET_NAMES } from "./presets.js";
import { DEFAULT_MAX_HEADER_BYTES } from "./sections.js";

import type { Directive } from "./directives.js";

function isNamedObject(item: z.ZodType): boolean {
  const k = kindOf(item);
  return k.kind === "object" && k.fields.some((f) => f.name === "name" && !f.hasDefault);
}

function directive(key: Directive, value: z.ZodType, description: string) {
  return z.strictObject({ [key]: value }).meta({ description });
}

/** Directives that make sense for a field of this schema. */
function directivesFor(plain: z.ZodType): z.ZodType[] {
  const k = kindOf(plain);
  const replace = directive("$replace", plain, "Set this value as given, without merging.");
  if (k.kind === "array") {
    const list = z.array(k.item);
    const out: z.ZodType[] = [
      directive("$append", list, "Add items at the end."),
      directive("$prepend", list, "Add items at the start."),
    ];
    if (isNamedObject(k.item)) {
      out.push(directive("$remove", z.array(z.union([z.string(), k.item])), "Drop items equal to these, or named so."));
      out.push(directive("$merge", z.array(layerOf(k.item)), "Upsert items by `name`: merged over the item of that name, or added."));
    } else {
      out.push(directive("$remove", list, "Drop items equal to these."));
    }
    out.push(replace);
    return out;
  }
  if (k.kind === "string") {
    return [
      directive("$append", z.string(), 'Append a line: S + "\\n" + T.'),
      directive("$prepend", z.string(), 'Prepend a line: T + "\\n" + S.'),
      replace,
    ];
  }
  return [replace];
}

// Memoized so that a model used in several places (GenerationConfig x8) becomes one `$defs` entry.
const layerValues = new WeakMap<z.ZodType, z.ZodType>();
const layers = new WeakMap<z.ZodType, z.ZodType>();

/** The value a layer may write where the merged result must match `schema`. */
function layerValue(schema: z.ZodType): z.ZodType {
  const plain = unwrap(schema).schema;
  let v = layerValues.get(plain);
  if (!v) {
    v = z.union([layerOf(plain), z.null(), ...directivesFor(plain)]);
    layerValues.set(plain, v);
  }
  return v;
}

/** A partial, directive-aware version of `schema` for one layer. */
function layerOf(schema: z.ZodType): z.ZodType {
  const plain = unwrap(schema).schema;
  const cached = layers.get(plain);
  if (cached) return cached;
  const k = kindOf(plain);
  let out: z.ZodType = plain;
  if (k.kind === "object") {
    const shape: Record<string, z.ZodType> = {};
    for (const f of k.fields) shape[f.name] = layerValue(f.schema).optional();
    const id = z.globalRegistry.get(plain)?.id;
    out = id ? z.strictObject(shape).meta({ id: `${id}Layer` }) : z.strictObject(shape);
  } else if (k.kind === "record") out = z.record(z.string(), layerValue(k.value));
  layers.set(plain, out);
  return out;
}

const Preset = z.enum(PRESET_NAMES).meta({ description: "Start from what the SDK builder of this name returns." });
const Overrides = z
  .record(z.string(), z.unknown())
  .meta({ description: "Deep-merged into the serialized header after validation; not validated (escape hatch)." });

function sectionLayer(schema: z.ZodType, extra: Record<string, z.ZodType> = {}) {
  const base = layerOf(schema) as z.ZodObject;
  return base.extend({ ...extra, $preset: Preset.optional(), $overrides: z.union([Overrides, z.null()]).optional() });
}

const CodesLayer = (layerOf(PolicyCodes) as z.ZodObject)
  .extend({
    file: z.string().min(1).optional().meta({ description: "Read the code from this file (relative to the config file)." }),
    files: z.array(z.string().min(1)).optional().meta({ description: 'Read and join these files with "\\n".' }),
  })
  .meta({ description: "At most one of code, file, files per layer." });

export const FeaturesLayer = sectionLayer(FeaturesHeader).meta({ id: "FeaturesLayer", title: "features (X-Features)" });
export const PolicyLayer = sectionLayer(PolicyHeader)
  .extend({ codes: z.union([CodesLayer, z.null(), z.strictObject({ $replace: PolicyCodes })]).optional() })
  .meta({ id: "PolicyLayer", title: "policy (X-Policy)" });
export const ConfigLayer = sectionLayer(ConfigHeader).meta({ id: "ConfigLayer", title: "config (X-Config)" });

// A whole section may be deleted (null) or set without merging ($replace), as `promote` writes it.
const sectionSlot = (layer: z.ZodType) =>
  z.union([layer, z.null(), directive("$replace", layer, "Set the whole section as given, without merging earlier layers.")]).optional();

const sections = {
  features: sectionSlot(FeaturesLayer),
  policy: sectionSlot(PolicyLayer),
  config: sectionSlot(ConfigLayer),
};

export const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const EnvironmentName = z
  .string()
  .regex(ENVIRONMENT_NAME)
  .meta({ description: "Letters, digits, `_` and `-`; usable in file names and TypeScript types." });

export const DefaultsLayer = z.strictObject(sections).meta({ id: "Defaults", description: "The first layer of every environment." });
export const EnvironmentBlock = z
  .strictObject({
    extends: z
      .union([EnvironmentName, z.array(EnvironmentName)])
      .optional()
      .meta({ description: "Environments whose blocks come before this one (parents before children)." }),
    ...sections,
  })
  .meta({ id: "Environment" });

export const Checks = z
  .strictObject({
    max_header_bytes: z.int().min(1).default(DEFAULT_MAX_HEADER_BYTES).meta({ description: "Warn when a compiled header is larger than this." }),
  })
  .meta({ description: "Limits checked at build time." });

export const ConfigFile = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).optional().meta({ description: "Config file format version." }),
    defaults: z.union([DefaultsLayer, z.null()]).optional(),
    environments: z.record(EnvironmentName, z.union([EnvironmentBlock, z.null()])),
    checks: Checks.optional(),
    tests: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: "Policy test files (paths or globs relative to this file) that `sequrity-config test` runs." }),
  })
  .meta({ title: "sequrity-config file", description: "sequrity.config.yaml: named environments compiled into Sequrity headers." });

export type ConfigFile = z.input<typeof ConfigFile>;
