// Types of `virtual:sequrity-headers`, the module the sequrity-config bundler plugins serve
// (sequrity-config/vite, /rollup, /esbuild, /webpack). Reference them once in the project:
//   /// <reference types="sequrity-config/virtual" />
// or "types": ["sequrity-config/virtual"] in tsconfig.json. The environment names are known only
// once the config is compiled, so they are strings here; `build -f ts` writes a module typed with
// the exact names instead.
declare module "virtual:sequrity-headers" {
  /** An environment of the config. */
  export type SequrityEnvironment = string;

  /** The headers of one environment; a header is absent when no layer of the environment has its section. */
  export type SequrityHeaders = {
    readonly "X-Features"?: string;
    readonly "X-Policy"?: string;
    readonly "X-Config"?: string;
  };

  /** Environment name → its headers, for the environments the plugin was given (all by default), in file order. */
  export const SEQURITY_HEADERS: { readonly [environment: string]: SequrityHeaders };

  /**
   * The headers of one environment as a fresh plain object. Throws for a name that is not an
   * environment, so that a request never goes out without its policy.
   */
  export function sequrityHeaders(env: SequrityEnvironment): SequrityHeaders;
}
