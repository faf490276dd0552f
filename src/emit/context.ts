import { HEADER_NAMES, type CompiledEnvironment, type HeaderName, type SectionName } from "../serialize/compiled.js";
import { contentHash } from "./hash.js";
import { generatedBy, toolVersion } from "./paths.js";

/** One environment as custom templates see it. Absent headers are missing from `headers` and null below. */
export interface TemplateEnvironment {
  name: string;
  headers: Partial<Record<HeaderName, string>>;
  features: string | null;
  policy: string | null;
  config: string | null;
  /** Effective sections (the header strings parsed back). */
  sections: Partial<Record<SectionName, unknown>>;
}

/** The documented context of a custom template (see README / examples/templates). */
export interface TemplateContext {
  environments: TemplateEnvironment[];
  /** Config path relative to the output file (or to the working directory for stdout), `/`-separated. */
  configPath: string;
  contentHash: string;
  toolVersion: string;
  generatedBy: string;
}

export function templateContext(environments: readonly CompiledEnvironment[], configPath: string): TemplateContext {
  return {
    environments: environments.map((env) => {
      const headers: Partial<Record<HeaderName, string>> = {};
      for (const h of HEADER_NAMES) {
        const value = env.headers[h];
        if (value !== undefined) headers[h] = value;
      }
      return {
        name: env.name,
        headers,
        features: env.headers["X-Features"] ?? null,
        policy: env.headers["X-Policy"] ?? null,
        config: env.headers["X-Config"] ?? null,
        sections: env.sections,
      };
    }),
    configPath,
    contentHash: contentHash(environments),
    toolVersion: toolVersion(),
    generatedBy: generatedBy(),
  };
}
