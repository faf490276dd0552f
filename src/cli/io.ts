/** Where the CLI writes: injectable so tests can run commands in-process. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Colour and other niceties only for a terminal. */
  isTTY: boolean;
  /**
   * Standard input's bytes (for a `-` argument), at most maxBytes + 1 of them, so callers can tell
   * it is over their cap without holding more. Absent means stdin is empty, like `</dev/null`.
   */
  readStdin?(maxBytes: number): Promise<Uint8Array>;
}

/** Reads `stream` until its end or until it has given more than maxBytes. */
async function readCapped(stream: AsyncIterable<Buffer>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop destroys the stream: nothing past the cap is read.
    if (size > maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes + 1);
}

export const processIo = (): Io => ({
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
  readStdin: (maxBytes) => readCapped(process.stdin, maxBytes),
});

/** Exit statuses of product.md. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;
