import { describe, expect, it } from "vitest";
import { installedProject, STRICT_TSCONFIG, tsc } from "../installed.js";

// Right uses type-check; each wrong one carries @ts-expect-error, which itself fails when no error comes.
const USE = `/// <reference types="sequrity-config/virtual" />
import { SEQURITY_HEADERS, sequrityHeaders, type SequrityEnvironment, type SequrityHeaders } from "virtual:sequrity-headers";
import sequrity from "sequrity-config/vite";
import sequrityEsbuild from "sequrity-config/esbuild";
import sequrityRollup from "sequrity-config/rollup";
import sequrityWebpack from "sequrity-config/webpack";

const env: SequrityEnvironment = "prod";
const headers: SequrityHeaders = sequrityHeaders(env);
const policy: string | undefined = headers["X-Policy"];
// An environment may be missing from the record: strict code must handle that.
const maybe: SequrityHeaders | undefined = SEQURITY_HEADERS["dev"];
// @ts-expect-error headers are read-only
headers["X-Policy"] = "changed";
// @ts-expect-error the helper takes an environment name
sequrityHeaders(1);
// @ts-expect-error not a header of Sequrity Control
void headers["X-Tenant"];

export const plugins = [sequrity({ config: "sequrity.config.yaml", environments: ["prod"] }), sequrityEsbuild(), sequrityRollup(), sequrityWebpack({})];
// @ts-expect-error environments is a list of names
sequrity({ environments: "prod" });
void [policy, maybe];
`;

describe("the shipped types", { timeout: 60_000 }, () => {
  it("sequrity-config/virtual declares virtual:sequrity-headers, and the plugin entries take typed options, under tsc --strict", () => {
    const dir = installedProject({ "tsconfig.json": STRICT_TSCONFIG, "use.ts": USE });
    expect(tsc(dir)).toEqual({ status: 0, output: "" });
  });

  it("without the reference, importing the virtual module does not type-check", () => {
    const dir = installedProject({
      "tsconfig.json": STRICT_TSCONFIG,
      "use.ts": 'import { SEQURITY_HEADERS } from "virtual:sequrity-headers";\nvoid SEQURITY_HEADERS;\n',
    });
    expect(tsc(dir)).toEqual({
      status: 2,
      output: "use.ts(1,34): error TS2307: Cannot find module 'virtual:sequrity-headers' or its corresponding type declarations.\n",
    });
  });
});
