import { HEADER_NAMES, type CompiledEnvironment, type HeaderName } from "../serialize/compiled.js";
import { isShellName, verifyDotenvFile } from "./dotenv.js";
import { builtinTemplate } from "./engine.js";
import { emitError } from "./errors.js";
import { contentHash } from "./hash.js";
import { commentText } from "./literals.js";
import { MARKER } from "./marker.js";
import { generatedBy } from "./paths.js";

export const DEFAULT_ENV_PREFIX = "SEQURITY_";

const SUFFIX: Readonly<Record<HeaderName, string>> = { "X-Features": "FEATURES", "X-Policy": "POLICY", "X-Config": "CONFIG" };

/** A prefix is valid when prefix + FEATURES is a shell name: letters, digits, `_`, not starting with a digit; may be empty. */
export function validateEnvPrefix(prefix: string): void {
  if (prefix !== "" && !isShellName(prefix)) {
    throw emitError("invalid-env-prefix", `invalid --env-prefix ${JSON.stringify(prefix)}: use letters, digits and _, not starting with a digit (e.g. MYAPP_)`);
  }
}

export interface EnvFileOptions {
  prefix?: string;
  /** Config path as shown in the banner (already relative to the output file). */
  configPath: string;
  /** Output path, for error messages. */
  file: string;
}

/** The `.env` text of one environment; throws a diagnostic for values no quoting can carry to both readers. */
export async function renderEnvFile(env: CompiledEnvironment, options: EnvFileOptions): Promise<string> {
  const prefix = options.prefix ?? DEFAULT_ENV_PREFIX;
  validateEnvPrefix(prefix);
  const variables = HEADER_NAMES.flatMap((h) => {
    const value = env.headers[h];
    return value === undefined ? [] : [{ name: `${prefix}${SUFFIX[h]}`, value }];
  });
  const template = await builtinTemplate("env");
  let content: string;
  try {
    content = template({
      generatedBy: generatedBy(),
      configPath: options.configPath,
      contentHash: contentHash([env]),
      environment: env.name,
      variables,
    });
  } catch (err) {
    throw withEnvironment(err, env.name);
  }
  try {
    verifyDotenvFile(content, variables, options.file);
  } catch (err) {
    throw withEnvironment(err, env.name);
  }
  return content;
}

function withEnvironment(err: unknown, name: string): unknown {
  if (err && typeof err === "object" && "diagnostics" in err) {
    for (const d of (err as { diagnostics: { environments?: string[] }[] }).diagnostics) d.environments ??= [name];
  }
  return err;
}

/**
 * True when `text` starts with the banner renderEnvFile writes (templates/env.hbs, first line) for
 * `environment` built from the config shown as `configPath`, by any version of the tool: what makes a
 * `.env.<environment>` file one this config's builds own.
 */
export function isEnvFileOf(text: string, configPath: string, environment: string): boolean {
  const end = text.indexOf("\n");
  const line = end === -1 ? text : text.slice(0, end);
  const start = `# ${MARKER} `;
  const tail = ` from ${commentText(configPath)}, environment ${commentText(environment)}.`;
  return line.startsWith(start) && line.endsWith(tail) && /^\S+$/.test(line.slice(start.length, line.length - tail.length));
}
