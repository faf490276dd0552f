import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { EXIT, type Io } from "./io.js";

const CONFIG = `# yaml-language-server: $schema=./node_modules/sequrity-config/schemas/sequrity-config.schema.json
#
# Sequrity Control settings as code. \`sequrity-config build\` compiles each environment
# into the X-Features, X-Policy and X-Config headers; \`sequrity-config validate\` checks it.
version: 1

# The first layer of every environment.
defaults:
  features:
    agent_arch: dual-llm
  policy:
    mode: standard
    codes:
      file: policies/base.sqrt
  config:
    fsm:
      max_n_turns: 10

environments:
  dev:
    config:
      response_format:
        include_program: true

  prod:
    features:
      content_classifiers:
        - name: pii_redaction
    policy:
      mode: strict
`;

const POLICY = `/// Data read from internal documents carries these tags.
let sensitive = {"internal_use", "confidential"};

tool "get_internal_document" -> @tags |= sensitive;

/// Tagged data may be emailed only inside the company.
tool "send_email" {
    hard deny when (body.tags overlaps sensitive) and (not to.value in {str matching r".*@example\\.com"});
}
`;

/** Writes a starter config and policy; refuses to touch existing files. */
export async function runInit(io: Io): Promise<number> {
  const files: [string, string][] = [
    ["sequrity.config.yaml", CONFIG],
    [path.join("policies", "base.sqrt"), POLICY],
  ];
  const existing: string[] = [];
  for (const [name] of files) {
    if (existsSync(path.join(io.cwd, name))) existing.push(name);
  }
  if (existing.length > 0) {
    io.stderr(`error: ${existing.join(" and ")} already exist${existing.length === 1 ? "s" : ""}; init never overwrites (nothing written)\n`);
    return EXIT.invalid;
  }
  await mkdir(path.join(io.cwd, "policies"), { recursive: true });
  for (const [name, text] of files) await writeFile(path.join(io.cwd, name), text, { flag: "wx" });
  io.stderr(`created ${files.map(([n]) => n).join(" and ")}\nnext: sequrity-config validate && sequrity-config build\n`);
  return EXIT.ok;
}
