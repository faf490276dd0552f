import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, type Document } from "yaml";
import { DiagnosticError, formatDiagnostic } from "../../src/diagnostics/index.js";
import { contentHash } from "../../src/emit/hash.js";
import { hasMarker } from "../../src/emit/marker.js";
import { renderOutputs } from "../../src/emit/outputs.js";
import { renderTemplate } from "../../src/emit/template.js";
import { freshDir } from "../helpers.js";
import { AWKWARD, config, env, smallConfig } from "./support.js";

const tmp = freshDir();

function template(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

async function diagnosticOf(p: Promise<unknown>): Promise<DiagnosticError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DiagnosticError) return err;
    throw err;
  }
  throw new Error("expected a DiagnosticError");
}

describe("custom templates", () => {
  it("receives the documented context", async () => {
    const file = template("ctx.hbs", "{{json this}}");
    const c = smallConfig("conf/sequrity.config.yaml");
    c.environments[0] = { ...(c.environments[0] as (typeof c.environments)[number]), sections: { features: { agent_arch: "single-llm" } } };
    const out = JSON.parse(await renderTemplate(file, c, { out: "out/file.txt", cwd: tmp, environments: ["dev"] }));
    expect(out).toEqual({
      environments: [
        {
          name: "dev",
          headers: c.environments[0]?.headers,
          features: '{"agent_arch": "single-llm"}',
          policy: null,
          config: '{"fsm": {"max_n_turns": 5}}',
          sections: { features: { agent_arch: "single-llm" } },
        },
      ],
      configPath: "../conf/sequrity.config.yaml",
      contentHash: contentHash([c.environments[0] as (typeof c.environments)[number]]),
      toolVersion: "0.1.0",
      generatedBy: "sequrity-config 0.1.0",
    });
  });

  it("never HTML-escapes and offers exact encoders as helpers", async () => {
    const file = template(
      "helpers.hbs",
      [
        "{{#each environments}}{{name}}|{{features}}|{{{features}}}",
        "{{json name}} {{shellQuote name}} {{tsString name}} {{yamlString name}} {{pyString name}} {{dotenvQuote name}}",
        "{{/each}}",
      ].join("\n"),
    );
    const c = config([env(`<a href="x">&$é`, { "X-Features": `<b>&"'</b>` })]);
    expect(await renderTemplate(file, c)).toBe(
      `<a href="x">&$é|<b>&"'</b>|<b>&"'</b>\n` +
        String.raw`"<a href=\"x\">&$\u00e9" '<a href="x">&$é' "<a href=\"x\">&$\u00e9" "<a href=\"x\">&$\xe9" "<a href=\"x\">&$\xe9" '<a href="x">&$é'` +
        "\n",
    );
  });

  it("reports a missing template file as a diagnostic", async () => {
    const err = await diagnosticOf(renderTemplate("nope/missing.hbs", smallConfig(), { cwd: tmp }));
    expect(err.diagnostics[0]).toMatchObject({ code: "template-missing", message: "cannot read template nope/missing.hbs: not found" });
  });

  it("reports handlebars syntax errors at file:line:col", async () => {
    template("bad.hbs", "line one\n{{#each environments}}\n  {{name}}\n{{/eachx}}\n");
    const err = await diagnosticOf(renderTemplate("bad.hbs", smallConfig(), { cwd: tmp }));
    const d = err.diagnostics[0];
    expect(d?.code).toBe("template-syntax");
    expect(formatDiagnostic(d!, { codeFrame: false })).toBe("bad.hbs:2:4: error: each doesn't match eachx");
    template("bad2.hbs", "ok\nok\n  {{name\n");
    const err2 = await diagnosticOf(renderTemplate("bad2.hbs", smallConfig(), { cwd: tmp }));
    expect(formatDiagnostic(err2.diagnostics[0]!, { codeFrame: false })).toMatch(/^bad2\.hbs:3:1: error: template syntax error: /);
  });

  it("reports runtime errors (unknown helper, unencodable value) with the template position", async () => {
    template("helper.hbs", "a\n\n  {{nosuch name}}\n");
    const err = await diagnosticOf(renderTemplate("helper.hbs", smallConfig(), { cwd: tmp }));
    expect(formatDiagnostic(err.diagnostics[0]!, { codeFrame: false })).toBe('helper.hbs:3:5: error: unknown helper "nosuch"');
    template("yaml.hbs", "{{#each environments}}\n  x: {{yamlString policy}}\n{{/each}}");
    const err2 = await diagnosticOf(renderTemplate("yaml.hbs", smallConfig(), { cwd: tmp }));
    expect(formatDiagnostic(err2.diagnostics[0]!, { codeFrame: false })).toBe("yaml.hbs:2:6: error: yamlString expects a string, got null");
    template("dotenv.hbs", "{{#each environments}}{{dotenvQuote config}}{{/each}}");
    const err3 = await diagnosticOf(renderTemplate("dotenv.hbs", config([env("dev", { "X-Config": "a\rb" })]), { cwd: tmp }));
    expect(err3.diagnostics[0]).toMatchObject({ code: "env-unrepresentable", location: { file: "dotenv.hbs", line: 1, column: 23 } });
  });

  it("goes to stdout without -o and to the file with -o, warning when a written file would lack the marker", async () => {
    const file = template("names.hbs", "{{#each environments}}{{name}} {{/each}}{{configPath}}\n");
    const c = smallConfig(path.join(tmp, "sequrity.config.yaml"));
    expect(await renderOutputs(c, { format: { template: file }, cwd: tmp })).toEqual({
      stdout: true,
      files: [{ path: "-", content: "dev prod sequrity.config.yaml\n" }],
      warnings: [],
    });
    const written = await renderOutputs(c, { format: { template: "names.hbs" }, out: "deep/er/x.txt", environments: ["prod"], cwd: tmp });
    expect(written).toMatchObject({ stdout: false, files: [{ path: "deep/er/x.txt", content: "prod ../../sequrity.config.yaml\n" }] });
    expect(written.warnings.map((d) => formatDiagnostic(d))).toEqual([
      'names.hbs: warning: the output of this template has no "Generated by sequrity-config" line in its first 5 lines, so the next build will refuse to replace deep/er/x.txt without --force; add a comment such as "# Generated by {{generatedBy}}" near the top',
    ]);
    template("marked.hbs", "// Generated by {{generatedBy}}\n{{#each environments}}{{name}}{{/each}}\n");
    expect((await renderOutputs(c, { format: { template: "marked.hbs" }, out: "m.txt", cwd: tmp })).warnings).toEqual([]);
  });

  it.each(["configmap.yaml.hbs", "sequrity_headers.py.hbs"])("example %s carries the generated-file marker", async (name) => {
    expect(hasMarker(await renderTemplate(`examples/templates/${name}`, AWKWARD, { out: "out/file" }))).toBe(true);
  });

  it("example configmap.yaml.hbs renders YAML whose values are the exact header strings", async () => {
    const text = await renderTemplate("examples/templates/configmap.yaml.hbs", AWKWARD, { out: "k8s/headers.yaml" });
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error("no YAML documents");
    const parsed = docs.map((d: Document.Parsed) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as { kind: string; metadata: { name: string; annotations: Record<string, string> }; data: Record<string, string> };
    });
    expect(parsed.map((p) => p.metadata.name)).toEqual(["sequrity-headers-dev", "sequrity-headers-prod", "sequrity-headers-empty"]);
    for (const [i, e] of AWKWARD.environments.entries()) {
      expect(parsed[i]?.kind).toBe("ConfigMap");
      expect(parsed[i]?.data).toEqual(e.headers);
      expect(parsed[i]?.metadata.annotations["sequrity-config/environment"]).toBe(e.name);
    }
    expect(text).toMatch(/^# Generated by sequrity-config 0\.1\.0 from \.\.\/sequrity\.config\.yaml \(sha256:[0-9a-f]{12}\)\. Do not edit\.\n---\n/);
  });

  it("imports handlebars only dynamically, so -f json never loads it", () => {
    for (const f of readdirSync("src/emit")) {
      const source = readFileSync(path.join("src/emit", f), "utf8");
      expect(source, f).not.toMatch(/^import[^;]*from "handlebars"/m);
    }
  });
});
