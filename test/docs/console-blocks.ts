/**
 * The checked examples of the docs, read with marked's lexer (docs/CONTRIBUTING.md, "Console
 * examples in the docs"):
 * - a ```console block is a transcript: `$ COMMAND` lines, each followed by its exact output;
 * - a fenced block whose info string has `file=PATH` (```yaml file=sequrity.config.yaml) is a file
 *   of the project the section's transcripts run in;
 * - a section runs from one heading to the next. With no `file=` block, its project is a copy of
 *   examples/; otherwise it holds exactly the section's files, written before its first transcript.
 */
import { readFileSync } from "node:fs";
import { lexer, type Tokens } from "marked";
import { allTokens } from "./markdown.js";

export interface Step {
  /** The command line after `$ `. */
  command: string;
  /** The lines shown under it, each followed by "\n". */
  output: string;
}

interface Transcript {
  /** Where the block starts, `FILE:LINE`, for test names. */
  at: string;
  steps: Step[];
}

interface ProjectFile {
  path: string;
  content: string;
}

/** What a section's transcripts need: its files, in order, interleaved with its transcripts. */
type SectionItem = { kind: "file"; file: ProjectFile } | { kind: "transcript"; transcript: Transcript };

export interface Section {
  heading: string;
  items: SectionItem[];
}

const FILE_ATTRIBUTE = /(?:^|\s)file=(\S+)/;

export function readSections(markdownFile: string, shownAs: string): Section[] {
  const text = readFileSync(markdownFile, "utf8");
  const sections: Section[] = [{ heading: "(top)", items: [] }];
  let line = 1;
  // `line` is exact for top-level blocks; a block nested in a list or quote gets its parent's line.
  for (const top of lexer(text)) {
    for (const token of allTokens([top])) {
      if (token.type === "heading") sections.push({ heading: (token as Tokens.Heading).text, items: [] });
      if (token.type !== "code") continue;
      const code = token as Tokens.Code;
      const current = sections[sections.length - 1] as Section;
      const info = code.lang ?? "";
      const file = FILE_ATTRIBUTE.exec(info)?.[1];
      const at = `${shownAs}:${line}`;
      if (file) current.items.push({ kind: "file", file: { path: file, content: code.text + "\n" } });
      else if (info.split(/\s/)[0] === "console") current.items.push({ kind: "transcript", transcript: { at, steps: parseTranscript(code.text, at) } });
    }
    line += top.raw.match(/\n/g)?.length ?? 0;
  }
  return sections.filter((s) => s.items.some((i) => i.kind === "transcript"));
}

function parseTranscript(text: string, at: string): Step[] {
  const steps: Step[] = [];
  for (const l of text.split("\n")) {
    if (l.startsWith("$ ")) steps.push({ command: l.slice(2), output: "" });
    else {
      const last = steps[steps.length - 1];
      if (!last) throw new Error(`${at}: a console block must start with a \`$ \` command line`);
      last.output += l + "\n";
    }
  }
  return steps;
}

/**
 * Splits a command line like a POSIX shell does for the simple cases the docs use: words, '...' and
 * "..." quoting, backslash escapes. Anything that would need a real shell is refused, so a
 * transcript never silently means something else than it shows.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === " " || c === "\t") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && '"\\$`'.includes(line[i + 1] ?? "")) i++;
        else if ("$`".includes(line[i] as string)) throw new Error(`unsupported shell expansion in: ${line}`);
        word += line[i];
      }
      if (i >= line.length) throw new Error(`unterminated " in: ${line}`);
    } else if (c === "\\") {
      word = (word ?? "") + (line[++i] ?? "");
    } else if (c === "$" && line[i + 1] === "?") {
      word = (word ?? "") + "$?";
      i++;
    } else if ("|&;<>()`*?[]$".includes(c)) {
      throw new Error(`unsupported shell syntax ${JSON.stringify(c)} in: ${line}`);
    } else word = (word ?? "") + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}
