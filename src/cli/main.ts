/** The command line: parses arguments with commander and hands each command to its module. */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { runInit } from "./init.js";
import { EXIT, processIo, type Io } from "./io.js";
import type {
  BuildCliOptions,
  DiffCliOptions,
  ExplainCliOptions,
  PolicyCheckOptions,
  PolicyFmtOptions,
  PrintCliOptions,
  PromoteCliOptions,
  ReviewCliOptions,
  TestCliOptions,
  ValidateCliOptions,
} from "./options.js";
import { runSchema } from "./schema.js";
import { VERSION } from "./version.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** An option a command takes once (`-c`, `-e`): a second one is a usage error, never "the last one wins". */
const once =
  (flag: string, what: string) =>
  (value: string, previous: string | undefined): string => {
    if (previous !== undefined) throw new InvalidArgumentError(`This command ${what}, but ${flag} was given more than once (${previous}, then ${value}).`);
    return value;
  };

/** `-o ""` (an unset `$OUT_DIR` in CI) is a usage error, not the current folder. */
const outPath = (value: string): string => {
  if (value === "") throw new InvalidArgumentError("-o needs a path, but it was given an empty string.");
  return value;
};

function program(io: Io, done: (code: number) => void): Command {
  const p = new Command("sequrity-config")
    .description("Compile sequrity.config.yaml environments into byte-exact Sequrity Control headers.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const configOption = () =>
    new Option("-c, --config <file>", "config file (default: discovered upward from the current directory)").argParser(once("-c", "reads one config"));
  const configsOption = (what = "") =>
    new Option("-c, --config <file>", `config file, repeatable${what} (default: discovered upward from the current directory)`).argParser(collect);
  const allOption = () => new Option("--all", "every config under the project root (node_modules and hidden folders skipped)");
  const envOption = () => new Option("-e, --env <name>", "only this environment (repeatable)").argParser(collect);
  const formatOption = () =>
    new Option("--format <format>", "diagnostics as text (stderr), json or github annotations (stdout)").choices(["text", "json", "github"]).default("text");
  const quietOption = () => new Option("-q, --quiet", "print errors only");

  p.command("validate")
    .description("check the config: merge, schemas and policy code of every environment")
    .addOption(configsOption())
    .addOption(allOption())
    .addOption(envOption())
    .option("--strict", "treat warnings (lints, header size) as errors")
    .addOption(formatOption())
    .addOption(quietOption())
    .action(async (o: ValidateCliOptions) => done(await (await import("./validate.js")).runValidate(io, o)));

  p.command("build")
    .description("compile the headers: JSON to stdout, or .env / TypeScript / a handlebars template")
    .addOption(configsOption(" with --check (-o is then read from each config's folder)"))
    .addOption(allOption())
    .addOption(envOption())
    .option("-f, --format <format>", "json | env | ts | PATH.hbs", "json")
    .addOption(new Option("-o, --out <path>", "output file or directory (env: a directory of .env.<environment> files)").argParser(outPath))
    .option("--check", "compare with the files on disk instead of writing; exit 1 when stale")
    .option("--env-prefix <prefix>", "variable prefix for -f env", "SEQURITY_")
    .option("--minify-policy", "drop comments and extra whitespace from SQRT policy code")
    .option("--strict", "treat warnings as errors")
    .addOption(
      new Option("--diagnostics <format>", "diagnostics as text, json or github annotations (-f is the output format)")
        .choices(["text", "json", "github"])
        .default("text"),
    )
    .addOption(quietOption())
    .option("--force", "replace existing files that sequrity-config did not generate, and write through symbolic links")
    .option("-w, --watch", "rebuild when the config, a policy file or the template changes")
    .action(async (o: BuildCliOptions) => done(await (await import("./build.js")).runBuild(io, o)));

  p.command("print")
    .description("print an environment's effective sections (merged, defaults filled in)")
    .addOption(configOption())
    .addOption(new Option("-e, --env <name>", "the environment").makeOptionMandatory().argParser(once("-e", "shows one environment")))
    .addOption(new Option("--header <section>", "only this section").choices(["features", "policy", "config"]))
    .action(async (o: PrintCliOptions) => done(await (await import("./print.js")).runPrint(io, o)));

  p.command("diff")
    .description("show how two environments' headers differ, field by field")
    .argument("<envA>")
    .argument("<envB>")
    .addOption(configOption())
    .action(async (a: string, b: string, o: DiffCliOptions) => done(await (await import("./diff.js")).runDiff(io, a, b, o)));

  p.command("explain")
    .description("show an environment's value at FIELD_PATH and which layer set it")
    .argument("[fieldPath]", "e.g. config.fsm.max_n_turns (default: every field)")
    .addOption(configOption())
    .addOption(new Option("-e, --env <name>", "the environment").makeOptionMandatory().argParser(once("-e", "shows one environment")))
    .action(async (field: string | undefined, o: ExplainCliOptions) => done(await (await import("./explain.js")).runExplain(io, field, o)));

  p.command("promote")
    .description("make environment TO send FROM's X-Policy (dry run unless --write)")
    .argument("<from>")
    .argument("<to>")
    .addOption(configOption())
    .option("--write", "edit the config file (comments and layout elsewhere are kept)")
    .action(async (from: string, to: string, o: PromoteCliOptions) => done(await (await import("./promote.js")).runPromote(io, from, to, o)));

  // Every command that compiles loads its module when run, so `--version`, `--help` and `policy`
  // never build the compiler's schemas; the review choices are spelled here for that reason (src/cli/review.ts and src/review/review.ts own them).
  p.command("review")
    .description("security review of a change: what each environment's headers and policy rules change, classified (weakening, tightening, review, neutral)")
    .option("--base <ref>", "compare with the config as it is in this git revision (read through git; nothing is checked out)")
    .option("--against <file>", "compare with another config file")
    .addOption(configsOption(" with --base"))
    .addOption(allOption())
    .addOption(envOption())
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json", "github"]).default("text"))
    .addOption(
      new Option("--fail-on <class>", "exit 1 when a change is at least this class").choices(["weakening", "review", "any", "never"]).default("weakening"),
    )
    .action(async (o: ReviewCliOptions) => done(await (await import("./review.js")).runReview(io, o)));

  p.command("test")
    .description("run the policy tests (the config's tests:, or FILEs) against each environment's policy")
    .argument("[files...]", "test files (default: the config's tests:)")
    .addOption(configsOption())
    .addOption(allOption())
    .addOption(envOption())
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "junit"]).default("text"))
    .addOption(new Option("-o, --out <file>", "write the report to FILE instead of stdout").argParser(outPath))
    .option("--force", "with -o, replace a file that is not a report of sequrity-config test, and write through a symbolic link")
    .action(async (files: string[], o: TestCliOptions) => {
      const { runTest } = await import("./test.js");
      done(await runTest(io, files, o));
    });

  p.command("schema")
    .description("write the JSON Schemas (x-features, x-policy, x-config, sequrity-config, sequrity-test) to DIR, or print the config-file schema")
    .addOption(new Option("-o, --out <dir>", "directory to write the schema files into").argParser(outPath))
    .option("--force", "replace files in DIR that are not schemas of sequrity-config, and write through symbolic links")
    .action(async (o: { out?: string; force?: boolean }) => done(await runSchema(io, o)));

  p.command("init")
    .description("create a starter sequrity.config.yaml, policies/base.sqrt and its tests here (never overwrites)")
    .action(async () => done(await runInit(io)));

  const policy = p.command("policy").description("check and format policy files (.sqrt, .cedar)");
  const stdinOption = () =>
    new Option("--stdin-filepath <path>", "the name stdin (-) has in messages; a .cedar name reads it as Cedar (default <stdin>, SQRT)");
  policy
    .command("check")
    .description("check policy files (a directory: every .sqrt and .cedar file below it; - reads stdin); exit 1 when any is invalid")
    .argument("<files...>")
    .addOption(
      new Option("--format <format>", "text diagnostics (stderr), a json array of files or github annotations (stdout)")
        .choices(["text", "json", "github"])
        .default("text"),
    )
    .addOption(quietOption())
    .option("--strict", "treat lint warnings as errors")
    .addOption(stdinOption())
    .action(async (files: string[], o: PolicyCheckOptions) => {
      const { policyCheck } = await import("./policy.js");
      done(await policyCheck(files, o, io));
    });
  policy
    .command("fmt")
    .description("format policy files in the canonical layout (a directory: every .sqrt and .cedar file below it; - formats stdin to stdout)")
    .argument("<files...>")
    .option("--write", "rewrite the files in place")
    .option("--check", "exit 1 when a file is not formatted; write nothing")
    .addOption(stdinOption())
    .action(async (files: string[], o: PolicyFmtOptions) => {
      if (o.write && o.check) {
        io.stderr("error: --write and --check cannot be used together\n");
        return done(EXIT.usage);
      }
      const { policyFmt } = await import("./policy.js");
      done(await policyFmt(files, o, io));
    });
  return p;
}

/** Runs the CLI; resolves to the exit status. Never throws for a user mistake. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const p = program(io, (c) => {
    code = c;
  });
  if (argv.length === 0) {
    io.stderr(p.helpInformation());
    return EXIT.usage;
  }
  try {
    await p.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr(`sequrity-config: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 70;
  }
  return code;
}
