/**
 * The schema of `sequrity.config.yaml` itself, derived from the header models: in a layer every
 * field is optional, may be `null` (delete) and may be a merge directive that fits its type.
 * Exported as `sequrity-config.schema.json` for editors, and used to check each layer as written.
 */
import * as z from "zod";
import { ConfigHeader, FeaturesHeader, PolicyCodes, PolicyHeader } from "./headers.js";
import { descriptionOf, kindOf, unwrap } from "./introspect.js";
import { EXTENDS_NAME, IMPORT_SPEC } from "./patterns.js";
import { PRESET_NAMES } from "./presets.js";
import { DEFAULT_MAX_HEADER_BYTES } from "./sections.js";

import type { Directive } from "./directives.js";

function isNamedObject(item: z.ZodType): boolean {
  const k = kindOf(item);
  return k.kind === "object" && k.fields.some((f) => f.name === "name" && !f.hasDefault);
}

function directive(key: Directive, value: z.ZodType, description: string) {
  return z.strictObject({ [key]: value.describe(description) });
}

/** Directives that make sense for a field of this schema. */
function directivesFor(plain: z.ZodType): z.ZodType[] {
  const k = kindOf(plain);
  const replace = directive("$replace", plain, "Set this value as given, without merging.");
  if (k.kind === "array") {
    const list = z.array(k.item);
    const out: z.ZodType[] = [directive("$append", list, "Add items at the end."), directive("$prepend", list, "Add items at the start.")];
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
    return [directive("$append", z.string(), 'Append a line: S + "\\n" + T.'), directive("$prepend", z.string(), 'Prepend a line: T + "\\n" + S.'), replace];
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
    for (const f of k.fields) {
      const slot = layerValue(f.schema).optional();
      const description = descriptionOf(f.schema);
      shape[f.name] = description ? slot.describe(description) : slot;
    }
    const id = z.globalRegistry.get(plain)?.id;
    out = id ? z.strictObject(shape).meta({ id: `${id}Layer` }) : z.strictObject(shape);
  } else if (k.kind === "record") out = z.record(k.key as z.ZodString, layerValue(k.value));
  layers.set(plain, out);
  return out;
}

const Preset = z.enum(PRESET_NAMES).meta({ description: "Start from what the SDK builder of this name returns." });
const Overrides = z
  .record(z.string(), z.unknown())
  .meta({ description: "Deep-merged into the serialized header after validation; not validated (escape hatch)." });

function sectionLayer(schema: z.ZodType) {
  const base = layerOf(schema) as z.ZodObject;
  return base.extend({
    $preset: Preset.optional().describe(
      "Start this layer's section from what the SDK builder of this name returns (single-llm or dual-llm); the section's other keys merge over it. Fields the builder sets win over earlier layers.",
    ),
    $overrides: z
      .union([Overrides, z.null()])
      .optional()
      .describe(
        "Raw JSON deep-merged into the serialized header after validation, like the SDK's dump_for_headers(overrides=...). Not validated. Merged raw across layers (null is sent as JSON null); `$overrides: null` drops earlier layers' overrides.",
      ),
  });
}

const CodesLayer = (layerOf(PolicyCodes) as z.ZodObject)
  .extend({
    file: z
      .string()
      .min(1)
      .optional()
      .describe("Read `code` from this file, relative to the config file, as read (nothing trimmed). At most one of code, file, files per layer."),
    files: z
      .array(z.string().min(1))
      .optional()
      .describe('Read `code` from these files, relative to the config file, joined with "\\n". At most one of code, file, files per layer.'),
  })
  .meta({ description: "At most one of code, file, files per layer." });

export const FeaturesLayer = sectionLayer(FeaturesHeader).meta({ id: "FeaturesLayer", title: "features (X-Features)" });
export const PolicyLayer = sectionLayer(PolicyHeader)
  .extend({
    codes: z
      .union([CodesLayer, z.null(), directive("$replace", PolicyCodes, "Set codes as given, without merging.")])
      .optional()
      .describe(descriptionOf(PolicyHeader.shape.codes) ?? ""),
  })
  .meta({ id: "PolicyLayer", title: "policy (X-Policy)" });
export const ConfigLayer = sectionLayer(ConfigHeader).meta({ id: "ConfigLayer", title: "config (X-Config)" });

// A whole section may be deleted (null) or set without merging ($replace), as `promote` writes it.
const sectionSlot = (layer: z.ZodType, header: string) =>
  z
    .union([layer, z.null(), directive("$replace", layer, "Set the whole section as given, without merging earlier layers.")])
    .optional()
    .describe(`Becomes the ${header} header. Merges over earlier layers; null deletes it. Absent from every layer: no ${header} header.`);

const sections = {
  features: sectionSlot(FeaturesLayer, "X-Features"),
  policy: sectionSlot(PolicyLayer, "X-Policy"),
  config: sectionSlot(ConfigLayer, "X-Config"),
};

export const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const EnvironmentName = z.string().regex(ENVIRONMENT_NAME).meta({ description: "Letters, digits, `_` and `-`; usable in file names and TypeScript types." });

/** `extends` names an environment of this file, an import's defaults (`org`), or an imported environment (`org/prod`). */
const ExtendsName = z
  .string()
  .regex(EXTENDS_NAME)
  .meta({ description: "An environment of this file, an import alias (its defaults), or ALIAS/ENVIRONMENT (that imported environment and its whole chain)." });

export const DefaultsLayer = z.strictObject(sections).meta({ id: "Defaults", description: "The first layer of every environment." });
export const EnvironmentBlock = z
  .strictObject({
    extends: z
      .union([ExtendsName, z.array(ExtendsName)])
      .optional()
      .describe(
        "A name or list of names whose blocks come before this one: depth-first, parents before children, each block once. `ALIAS` takes an imported config's defaults, `ALIAS/ENV` that environment with its defaults and extends.",
      ),
    ...sections,
  })
  .meta({ id: "Environment" });

export const Checks = z
  .strictObject({
    max_header_bytes: z
      .int()
      .min(1)
      .default(DEFAULT_MAX_HEADER_BYTES)
      .describe(`Warn (header-size) when a compiled header is longer than this many bytes. Default: ${DEFAULT_MAX_HEADER_BYTES}.`),
  })
  .meta({ description: "Limits checked at build time." });

/** An npm package name (resolved like a dependency of the config's folder), or a relative path to another config file. */
const ImportSpec = z.string().regex(IMPORT_SPEC).meta({
  description:
    'An npm package name ("@acme/sequrity-baseline") or a path relative to this config file, starting with ./ or ../ ("./shared/sequrity.config.yaml").',
});

/** Top-level keys starting with `x-` are ignored: a place for YAML anchors shared by environments. */
const EXTENSION_KEY = /^x-/;

export const ConfigFile = z
  .strictObject({
    $schema: z.string().optional().describe("Ignored; lets a JSON config name its JSON Schema."),
    version: z.literal(1).optional().describe("Config file format version; 1 is the only one. Default: 1."),
    imports: z
      .record(z.string().regex(ENVIRONMENT_NAME).meta({ description: "Letters, digits, `_` and `-`, like an environment name." }), ImportSpec)
      .optional()
      .describe(
        "Alias → another config: an npm package (its sequrity.config.yaml, or the file its package.json `sequrity` field names) or a relative path. `extends: ALIAS` takes its defaults, `extends: ALIAS/ENV` one of its environments. An alias must not also be an environment name.",
      ),
    defaults: z.union([DefaultsLayer, z.null()]).optional().describe("The first layer of every environment: features, policy, config."),
    environments: z
      .record(EnvironmentName, z.union([EnvironmentBlock, z.null()]))
      .describe("Environment name → block, in the order outputs list them. `name:` with no value is an empty block. Required."),
    checks: Checks.optional().describe("Limits checked at build time."),
    tests: z
      .array(z.string().min(1))
      .optional()
      .describe("Policy test files (paths or globs relative to this file) that `sequrity-config test` runs. Default: none."),
  })
  .meta({
    title: "sequrity-config file",
    description: "sequrity.config.yaml: named environments compiled into Sequrity headers.",
    patternProperties: {
      [EXTENSION_KEY.source]: { description: "Ignored by sequrity-config: a place for YAML anchors (&name) that environments use (*name)." },
    },
  });

export type ConfigFile = z.input<typeof ConfigFile>;
