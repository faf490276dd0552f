/** Runs the transcripts of test/docs/console-blocks.ts in-process, through the CLI's main(). */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import { freshDir } from "../helpers.js";
import { shellWords, type Section, type Step } from "./console-blocks.js";

const EXAMPLES = path.resolve(__dirname, "../../examples");

/** A fresh folder for a section's transcripts: its own files, or a copy of examples/. */
export function projectFor(section: Section): string {
  const dir = freshDir("sequrity-docs-");
  const files = section.items.flatMap((i) => (i.kind === "file" ? [i.file] : []));
  if (files.length === 0) cpSync(EXAMPLES, dir, { recursive: true });
  for (const file of files) {
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  return dir;
}

/** The exit status of the last command, for `echo $?`. */
export interface Shell {
  dir: string;
  status: number;
}

/** Runs one `$ ...` line and returns what a terminal shows: stdout and stderr, interleaved. */
export async function runStep(step: Step, shell: Shell): Promise<string> {
  const words = shellWords(step.command);
  const [first, ...rest] = words;
  if (first === "echo" && rest.length === 1 && rest[0] === "$?") return `${shell.status}\n`;
  if (first === "cat" && rest.length === 1) return readFileSync(path.join(shell.dir, rest[0] as string), "utf8");
  const args = first === "npx" ? rest : words;
  if (args[0] !== "sequrity-config") throw new Error(`unsupported command in a console block (show it in a \`\`\`text block instead): ${step.command}`);
  let out = "";
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), cwd: shell.dir, isTTY: false };
  shell.status = await main(args.slice(1), io);
  return out;
}
