/** The config sections, in header order, and the header each one compiles to. */
export const SECTION_NAMES = ["features", "policy", "config"] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export const HEADER_NAMES = ["X-Features", "X-Policy", "X-Config"] as const;
export type HeaderName = (typeof HEADER_NAMES)[number];

export const HEADER_OF_SECTION: Readonly<Record<SectionName, HeaderName>> = {
  features: "X-Features",
  policy: "X-Policy",
  config: "X-Config",
};

/** Section keys that belong to the tool, not to the header. */
export const SECTION_META_KEYS = ["$preset", "$overrides"] as const;

/** Default of `checks.max_header_bytes`. */
export const DEFAULT_MAX_HEADER_BYTES = 8192;
