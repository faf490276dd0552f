/** `import sequrity from "sequrity-config/rollup"`: serves `virtual:sequrity-headers` to rollup (see docs/bundler-plugins.md). */
import { sequrityPlugin } from "./core.js";

export type { SequrityPluginOptions } from "./core.js";
export default sequrityPlugin.rollup;
