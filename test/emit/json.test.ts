import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentHash } from "../../src/emit/hash.js";
import { renderJson } from "../../src/emit/json.js";
import { renderOutputs } from "../../src/emit/outputs.js";
import { config, env, smallConfig } from "./support.js";

describe("-f json", () => {
  it("prints environments in file order with present headers only", () => {
    const c = config([env("zeta", { "X-Config": "c", "X-Features": "f" }), env("alpha", {})]);
    expect(renderJson(c)).toBe('{\n  "zeta": {\n    "X-Features": "f",\n    "X-Config": "c"\n  },\n  "alpha": {}\n}\n');
  });

  it("limits to the named environments, keeping file order", () => {
    const out = JSON.parse(renderJson(smallConfig(), ["prod", "dev"])) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["dev", "prod"]);
    expect(JSON.parse(renderJson(smallConfig(), ["prod"]))).toEqual({ prod: smallConfig().environments[1]?.headers });
  });

  it("reports unknown environments as a diagnostic", () => {
    expect(() => renderJson(smallConfig(), ["staging"])).toThrow(/^unknown environment "staging"; .* defines: dev, prod$/);
  });

  it("keeps an environment named __proto__ as an ordinary key", () => {
    expect(JSON.parse(renderJson(config([env("__proto__", { "X-Config": "c" })])))).toEqual(JSON.parse('{"__proto__": {"X-Config": "c"}}'));
  });

  it("goes to stdout without -o and to the file with -o", async () => {
    const c = smallConfig();
    expect(await renderOutputs(c, { format: "json" })).toEqual({ stdout: true, files: [{ path: "-", content: renderJson(c) }], warnings: [] });
    expect(await renderOutputs(c, { format: "json", out: "h.json", environments: ["dev"] })).toEqual({
      stdout: false,
      files: [{ path: "h.json", content: renderJson(c, ["dev"]) }],
      warnings: [],
    });
  });
});

describe("content hash", () => {
  it("is the short sha256 of [name, [features, policy, config]] per environment", () => {
    const e = env("dev", { "X-Features": "f", "X-Config": "c" });
    const full = createHash("sha256").update('[["dev",["f",null,"c"]]]').digest("hex");
    expect(contentHash([e])).toBe(`sha256:${full.slice(0, 12)}`);
    expect(contentHash([env("dev", { "X-Features": "f", "X-Config": "c2" })])).not.toBe(contentHash([e]));
  });
});
