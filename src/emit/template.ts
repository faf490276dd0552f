import type { CompiledConfig } from "../serialize/compiled.js";
import { templateContext } from "./context.js";
import { loadTemplateFile } from "./engine.js";
import { relativeForBanner, relativeToCwd } from "./paths.js";
import { selectEnvironments } from "./select.js";

export interface TemplateOptions {
  environments?: readonly string[];
  /** Output file, so `configPath` in the context is relative to it; omitted for stdout. */
  out?: string;
  cwd?: string;
}

/** Renders a user's `.hbs` file with the documented TemplateContext and the escaping helpers. */
export async function renderTemplate(templatePath: string, compiled: CompiledConfig, options: TemplateOptions = {}): Promise<string> {
  const cwd = options.cwd ?? process.cwd();
  const render = await loadTemplateFile(templatePath, cwd, compiled.projectRoot);
  const envs = selectEnvironments(compiled, options.environments);
  const configPath = options.out !== undefined ? relativeForBanner(options.out, compiled.configPath, cwd) : relativeToCwd(compiled.configPath, cwd);
  return render(templateContext(envs, configPath));
}
