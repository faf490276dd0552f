/** `import sequrity from "sequrity-config/vite"`: serves `virtual:sequrity-headers` to vite (see docs/bundler-plugins.md). */
import { sequrityPlugin } from "./core.js";

export type { SequrityPluginOptions } from "./core.js";
export default sequrityPlugin.vite;
