import { HEADER_NAMES, type CompiledEnvironment } from "../serialize/compiled.js";
import { builtinTemplate } from "./engine.js";
import { contentHash } from "./hash.js";
import { generatedBy } from "./paths.js";

export interface TsModuleOptions {
  /** Config path as shown in the banner (already relative to the output file). */
  configPath: string;
  /**
   * The same module without its type annotations, for bundlers that load only JavaScript (rollup,
   * webpack): the bundler plugin's virtual module, whose types ship in virtual.d.ts.
   */
  javascript?: boolean;
}

/** `-f ts`: a dependency-free module with SEQURITY_HEADERS, SequrityEnvironment and sequrityHeaders(). */
export async function renderTsModule(environments: readonly CompiledEnvironment[], options: TsModuleOptions): Promise<string> {
  const template = await builtinTemplate("ts");
  return template({
    generatedBy: generatedBy(),
    configPath: options.configPath,
    contentHash: contentHash(environments),
    javascript: options.javascript ?? false,
    environments: environments.map((env) => ({
      name: env.name,
      headers: HEADER_NAMES.flatMap((h) => {
        const value = env.headers[h];
        return value === undefined ? [] : [{ name: h, value }];
      }),
    })),
  });
}
