import { mkdir, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { workingTree } from "../load/file-source.js";
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

# Policy tests: what each environment's policy must do. \`sequrity-config test\` runs them.
tests:
  - policies/*.test.yaml
`;

const POLICY = `/// Data read from internal documents carries these tags.
let sensitive = {"internal_use", "confidential"};

tool "get_internal_document" -> @tags |= sensitive;

/// Tagged data may be emailed only inside the company.
tool "send_email" {
    hard deny when (body.tags overlaps sensitive) and (not to.value in {str matching r".*@example\\.com"});
}
`;

const TESTS = `# yaml-language-server: $schema=../node_modules/sequrity-config/schemas/sequrity-test.schema.json
#
# What policies/base.sqrt must do, in every environment. \`sequrity-config test\` runs these cases
# against each environment's compiled policy.
version: 1
cases:
  - name: an internal document cannot be mailed outside the company
    steps:
      - call: get_internal_document
        args: { doc_id: DOC-1 }
        result: { as: doc, value: "Q3 plan" }
        expect: allow
        expect_result: { tags: [confidential, internal_use, __non_executable] }
      - call: send_email
        args: { to: someone@gmail.com, body: { from: doc } }
        expect: deny

  - name: it may be mailed to a colleague
    steps:
      - call: get_internal_document
        args: { doc_id: DOC-1 }
        result: { as: doc, value: "Q3 plan" }
      - call: send_email
        args: { to: colleague@example.com, body: { from: doc } }
        expect: allow
`;

/**
 * Writes a starter config, policy and policy tests; refuses to touch existing files. A link counts
 * as existing even when it points nowhere, and files are created exclusively (`wx`), so nothing in
 * place is ever replaced; if a write fails, what this run created is removed again.
 */
export async function runInit(io: Io): Promise<number> {
  const files: [string, string][] = [
    ["sequrity.config.yaml", CONFIG],
    [path.join("policies", "base.sqrt"), POLICY],
    [path.join("policies", "base.test.yaml"), TESTS],
  ];
  const policies = path.join(io.cwd, "policies");
  // lstat: a link counts as there, even one that points nowhere.
  const existing: string[] = [];
  for (const [name] of files) if ((await workingTree.lstat(path.join(io.cwd, name))) !== undefined) existing.push(name);
  if (existing.length > 0) {
    io.stderr(`error: ${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}; init never overwrites (nothing written)\n`);
    return EXIT.invalid;
  }
  const folder = (await workingTree.lstat(policies))?.kind;
  if (folder !== undefined && folder !== "directory") {
    io.stderr("error: policies exists and is not a folder; init never overwrites (nothing written)\n");
    return EXIT.invalid;
  }
  const created: string[] = [];
  try {
    if (folder === undefined) {
      await mkdir(policies);
      created.push(policies);
    }
    for (const [name, text] of files) {
      await writeFile(path.join(io.cwd, name), text, { flag: "wx" });
      created.push(path.join(io.cwd, name));
    }
  } catch (e) {
    for (const p of created.reverse()) await (p === policies ? rmdir(p) : rm(p, { force: true })).catch(() => undefined);
    const why = (e as NodeJS.ErrnoException).code === "EEXIST" ? "a file appeared meanwhile" : (e as Error).message;
    io.stderr(`error: cannot create the starter files: ${why} (nothing written)\n`);
    return EXIT.invalid;
  }
  io.stderr(`created ${files.map(([n]) => n).join(", ")}\nnext: npx sequrity-config validate && npx sequrity-config test && npx sequrity-config build\n`);
  return EXIT.ok;
}
