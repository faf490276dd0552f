/** The header names, in the order they are always listed. */
export const HEADER_NAMES = ["X-Features", "X-Policy", "X-Config"] as const;
export type HeaderName = (typeof HEADER_NAMES)[number];

/** Config sections, in the same order as HEADER_NAMES. */
export const SECTION_NAMES = ["features", "policy", "config"] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export const HEADER_OF_SECTION: Readonly<Record<SectionName, HeaderName>> = {
  features: "X-Features",
  policy: "X-Policy",
  config: "X-Config",
};

/** One environment compiled to its header strings. Absent sections give absent headers. */
export interface CompiledEnvironment {
  name: string;
  headers: Partial<Record<HeaderName, string>>;
  /** Effective sections as sent (the header strings parsed back), for templates and `print`. */
  sections: Partial<Record<SectionName, unknown>>;
}

/** Everything one build produced, in environment file order. */
export interface CompiledConfig {
  /** Path of the config file, as given or discovered. */
  configPath: string;
  /** Every file read (config and policy files), for watch mode. */
  inputFiles: string[];
  environments: CompiledEnvironment[];
}
