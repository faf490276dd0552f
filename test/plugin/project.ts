// A project that imports the virtual module, and what `build -f json` prints for it: the bundles'
// headers are compared with that, byte for byte.
import { pathToFileURL } from "node:url";
import { runCli, tempProject } from "../helpers.js";

export const CONFIG = `version: 1
defaults:
  features: { agent_arch: dual-llm }
  policy:
    mode: standard
    codes: { file: policies/base.sqrt }
environments:
  dev:
    config:
      response_format: { include_program: true }
  prod:
    extends: dev
    policy:
      mode: strict
`;

export const POLICY = 'tool "send_email" { hard deny when to.value in {str like w"*@gmail.com"}; }\n';

/** The module's exports, re-exported by the bundle's entry. */
export const ENTRY = 'export { SEQURITY_HEADERS, sequrityHeaders } from "virtual:sequrity-headers";\n';

export function pluginProject(config = CONFIG): string {
  return tempProject({ "sequrity.config.yaml": config, "policies/base.sqrt": POLICY, "entry.js": ENTRY });
}

/** `sequrity-config build -f json [-e ENV...]` in `dir`. */
export async function cliJson(dir: string, environments: string[] = []): Promise<string> {
  const r = await runCli(["build", "-f", "json", ...environments.flatMap((e) => ["-e", e])], dir);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

export interface HeadersModule {
  SEQURITY_HEADERS: Record<string, Record<string, string>>;
  sequrityHeaders(env: string): Record<string, string>;
}

let imports = 0;
/** Imports a built bundle (a fresh URL each time, so a rebuilt file is read again). */
export async function importBundle(file: string): Promise<HeadersModule> {
  return (await import(`${pathToFileURL(file).href}?${++imports}`)) as HeadersModule;
}

/** The bundle's headers as `build -f json` prints them. */
export const asJson = (m: HeadersModule): string => `${JSON.stringify(m.SEQURITY_HEADERS, null, 2)}\n`;
