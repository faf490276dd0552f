import type { HeaderName, SectionName } from "../schema/sections.js";

export { HEADER_NAMES, HEADER_OF_SECTION, SECTION_NAMES, type HeaderName, type SectionName } from "../schema/sections.js";

/** One environment compiled to its header strings. Absent sections give absent headers. */
export interface CompiledEnvironment {
  name: string;
  headers: Partial<Record<HeaderName, string>>;
  /** Effective sections as sent (the header strings parsed back), for templates and `print`. */
  sections: Partial<Record<SectionName, unknown>>;
  /** The blocks merged into it, first to last (`defaults`, what it extends, itself); set by compile(). */
  layers?: string[];
}

/** Everything one build produced, in environment file order. */
export interface CompiledConfig {
  /** Path of the config file, as given or discovered. */
  configPath: string;
  /** Every file read (config and policy files), for watch mode. */
  inputFiles: string[];
  /** Every file a config names must resolve inside this folder (templates too). */
  projectRoot?: string;
  /** Every environment the config defines, selected or not (with -e, `environments` holds fewer). */
  definedEnvironments?: string[];
  environments: CompiledEnvironment[];
}
