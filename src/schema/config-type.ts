/**
 * `SequrityConfig`, the type of a config file, for `sequrity.config.ts` (`defineConfig`). It is
 * derived from the zod models: the header input types, laid out per layer the way config-file.ts
 * builds the layer schemas (every field optional, `null` deletes, the directives that fit the
 * field's type, `$preset` and `$overrides` per section), and the file's other keys from ConfigFile.
 */
import type * as z from "zod";
import type { ConfigFile } from "./config-file.js";
import type { ConfigHeader, FeaturesHeader, PolicyCodes, PolicyHeader } from "./headers.js";
import type { PresetName } from "./presets.js";

/** Items the `$remove` and `$merge` directives can name (config-file.ts: isNamedObject). */
type Named = { name: string };

/** A partial, directive-aware `T` for one layer (config-file.ts: layerOf). Lists are written whole. */
type Layer<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: LayerValue<NonNullable<T[K]>> } : T;

/** The value a layer may write where the merged result is a `T` (config-file.ts: layerValue). */
export type LayerValue<T> = Layer<T> | null | DirectiveFor<T>;

/** The directives that fit a `T` (config-file.ts: directivesFor). Enums and unions only take `$replace`. */
type DirectiveFor<T> = [T] extends [readonly (infer Item)[]]
  ?
      | { $append: Item[] }
      | { $prepend: Item[] }
      | { $remove: (Item extends Named ? Item | string : Item)[] }
      | ([Item] extends [Named] ? { $merge: Layer<Item>[] } : never)
      | { $replace: T }
  : [T] extends [string]
    ? string extends T
      ? { $append: string } | { $prepend: string } | { $replace: T }
      : { $replace: T }
    : { $replace: T };

/** A section in one layer: its fields, plus where it starts from and what is merged into the header. */
type SectionLayer<T> = Layer<T> & {
  /** Start this layer's section from what the SDK builder of this name returns. */
  $preset?: PresetName;
  /** Raw JSON deep-merged into the serialized header; not validated. `null` drops earlier layers' overrides. */
  $overrides?: Record<string, unknown> | null;
};

/** `codes` in one layer: `code` may also be read from `file` or `files`, at most one of the three. */
type CodesLayer = Layer<z.input<typeof PolicyCodes>> & { file?: string; files?: string[] };

/** A section slot: the section, `null` to delete it, or `$replace` to set it without merging earlier layers. */
type Slot<L> = L | null | { $replace: L };

export interface SequritySections {
  /** Becomes the X-Features header. */
  features?: Slot<SectionLayer<FeaturesHeader>>;
  /** Becomes the X-Policy header. */
  policy?: Slot<Omit<SectionLayer<PolicyHeader>, "codes"> & { codes?: CodesLayer | null | { $replace: z.input<typeof PolicyCodes> } }>;
  /** Becomes the X-Config header. */
  config?: Slot<SectionLayer<ConfigHeader>>;
}

type EnvironmentBlock = NonNullable<ConfigFile["environments"][string]>;

/** An environment: the blocks it extends come first, then its own sections. */
export type SequrityEnvironmentBlock = Pick<EnvironmentBlock, "extends"> & SequritySections;

/** A whole config file, as `sequrity.config.ts` default-exports it (see docs/typescript-config.md). */
export type SequrityConfig = Omit<ConfigFile, "defaults" | "environments"> & {
  /** The first layer of every environment. */
  defaults?: SequritySections | null;
  /** Environment name → block, in the order outputs list them. */
  environments: { [name: string]: SequrityEnvironmentBlock | null };
} & {
  /** Ignored by sequrity-config: a place for values the environments share. */
  [key: `x-${string}`]: unknown;
};

/** Types a `sequrity.config.ts` (`export default defineConfig({...})`); returns its argument unchanged. */
export function defineConfig(config: SequrityConfig): SequrityConfig {
  return config;
}
