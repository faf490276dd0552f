// Shared test data for the emit stage: real header strings from the shared fixtures and small configs.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { DiagnosticError, formatDiagnostic } from "../../src/diagnostics/index.js";
import type { CompiledConfig, CompiledEnvironment, HeaderName } from "../../src/serialize/compiled.js";

interface FixtureCase {
  id: string;
  section: "features" | "policy" | "config";
  expected?: string;
}

const HEADER_OF: Record<FixtureCase["section"], HeaderName> = { features: "X-Features", policy: "X-Policy", config: "X-Config" };

export const FIXTURES = JSON.parse(readFileSync(new URL("../fixtures/headers.json", import.meta.url), "utf8")) as FixtureCase[];

/** Every valid fixture's expected header string, with the header it belongs to. */
export const FIXTURE_HEADERS: { id: string; header: HeaderName; value: string }[] = FIXTURES.flatMap((c) =>
  c.expected === undefined ? [] : [{ id: c.id, header: HEADER_OF[c.section], value: c.expected }],
);

/** The first fixture string of each header, and the one with the most awkward characters for policy. */
export function fixtureHeaders(): Required<CompiledEnvironment["headers"]> {
  const pick = (h: HeaderName, pred: (v: string) => boolean = () => true) => {
    const found = FIXTURE_HEADERS.find((f) => f.header === h && pred(f.value));
    if (!found) throw new Error(`no fixture for ${h}`);
    return found.value;
  };
  return {
    "X-Features": pick("X-Features"),
    "X-Policy": pick("X-Policy", (v) => v.includes("'") && v.includes("`") && v.includes("$")),
    "X-Config": pick("X-Config"),
  };
}

export function env(name: string, headers: CompiledEnvironment["headers"]): CompiledEnvironment {
  return { name, headers, sections: {} };
}

export function config(environments: CompiledEnvironment[], configPath = "sequrity.config.yaml"): CompiledConfig {
  return { configPath, inputFiles: [configPath], environments };
}

/** A small config whose header strings exercise quotes, `$`, backticks, backslashes and `\n`. */
export function smallConfig(configPath = "sequrity.config.yaml"): CompiledConfig {
  return config(
    [
      env("dev", { "X-Features": '{"agent_arch": "single-llm"}', "X-Config": '{"fsm": {"max_n_turns": 5}}' }),
      env("prod", {
        "X-Features": '{"agent_arch": "dual-llm"}',
        "X-Policy": '{"mode": "custom", "codes": {"code": "// it\'s `x` and $HOME\\n", "language": "sqrt"}}',
        "X-Config": '{"note": "a\\\\b #1 = ${x}"}',
      }),
    ],
    configPath,
  );
}

/** Awkward names and values for -f ts: quotes, comment terminators, line separators, astral and lone surrogates. */
export const WEIRD = config([
  env("dev", fixtureHeaders()),
  env("prod", { "X-Features": '{"agent_arch": "dual-llm"}', "X-Policy": "*/ // \u2028\u2029 ${x} `y` \\ \\n \ud83d\ude00 \ud800 \u00e9", "X-Config": "" }),
  env(`it's "odd" \\ \u2028`, {}),
  env("__proto__", { "X-Config": "proto" }),
]);

/** Values that break naive escaping in YAML and Python: quotes, backslashes, #, :, control, non-ASCII, surrogates. */
export const AWKWARD = config([
  env("dev", fixtureHeaders()),
  env("prod", {
    "X-Features": "",
    "X-Policy": `'"\\ #: - ? * & ! | > % @ \`{x}\` \t\n\r\x00\x7f\u0085 \u2028 é \ud83d\ude00`,
    "X-Config": "--- ...\n  key: [1, 2]",
  }),
  env("empty", {}),
]);

/** Every path under `dir`, sorted. */
export const listAll = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

/** The diagnostics a refused write reports, each as `code message`. */
export async function refusals(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DiagnosticError) return err.diagnostics.map((d) => `${d.code} ${formatDiagnostic(d)}`);
    throw err;
  }
  throw new Error("expected a refusal");
}

/**
 * Sources each file with `set -a; . FILE` in a fresh subshell of `shell` (clean environment) and
 * returns, per file, the named variables that ended up set (NUL-separated transport, so any value
 * except NUL survives).
 */
export function readWithShell(shell: string, files: string[], names: string[]): Record<string, string>[] {
  const dump = names.map((n) => `printf '%s\\0%s\\0' "\${${n}+set}" "\${${n}-}"`).join("; ");
  const script = `for f in "$@"; do ( set -a; . "$f"; ${dump} ); printf 'END\\0'; done`;
  const res = spawnSync(shell, ["-c", script, shell, ...files], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, encoding: "utf8", maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`${shell} failed (${res.status}): ${res.stderr}`);
  const parts = res.stdout.split("\0");
  const out: Record<string, string>[] = [];
  let i = 0;
  for (let f = 0; f < files.length; f++) {
    const vars: Record<string, string> = {};
    for (const n of names) {
      const isSet = parts[i++];
      const value = parts[i++] ?? "";
      if (isSet === "set") vars[n] = value;
    }
    if (parts[i++] !== "END") throw new Error(`${shell}: output out of step at file ${files[f]} (stderr: ${res.stderr})`);
    out.push(vars);
  }
  return out;
}
