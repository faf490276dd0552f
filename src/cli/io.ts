/** Where the CLI writes: injectable so tests can run commands in-process. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Colour and other niceties only for a terminal. */
  isTTY: boolean;
}

export const processIo = (): Io => ({
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
});

/** Exit statuses of product.md. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;
