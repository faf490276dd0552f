/** One generated file. `path` is as the user would write it: relative paths stay relative to the cwd. */
export interface OutputFile {
  path: string;
  content: string;
}

/** The path of the single OutputFile of a result meant for stdout. */
export const STDOUT_PATH = "-";
