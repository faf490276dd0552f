/** `import sequrity from "sequrity-config/webpack"`: serves `virtual:sequrity-headers` to webpack (see docs/bundler-plugins.md). */
import { sequrityPlugin } from "./core.js";

export type { SequrityPluginOptions } from "./core.js";
export default sequrityPlugin.webpack;
