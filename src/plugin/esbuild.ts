/** `import sequrity from "sequrity-config/esbuild"`: serves `virtual:sequrity-headers` to esbuild (see docs/bundler-plugins.md). */
import { sequrityPlugin } from "./core.js";

export type { SequrityPluginOptions } from "./core.js";
export default sequrityPlugin.esbuild;
