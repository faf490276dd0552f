/**
 * Interns substrings of the source: a word is looked up by its characters in
 * place, so reading the same word again allocates nothing. The parser reads
 * each word several times while deciding what it is, and the tree holds the
 * same few names over and over (`tags`, `union`, argument names); on a large
 * program those copies were a good share of the garbage-collector's work.
 */
export class Interner {
  /** Open addressing, linear probing; the length is a power of two, at most half full. */
  private keys: (string | undefined)[];
  private hashes: number[];
  private size = 0;

  constructor(words: readonly string[] = [], from?: Interner) {
    this.keys = from ? from.keys.slice() : new Array<string | undefined>(64).fill(undefined);
    this.hashes = from ? from.hashes.slice() : new Array<number>(64).fill(0);
    this.size = from ? from.size : 0;
    for (const w of words) this.get(w, 0, w.length);
  }

  /** A copy: cheaper than seeding a new table for every parse. */
  clone(): Interner {
    return new Interner([], this);
  }

  /** `code.slice(start, end)`, the same string object every time for the same characters. */
  get(code: string, start: number, end: number): string {
    let h = 0x811c9dc5 | 0; // FNV-1a
    for (let i = start; i < end; i++) h = Math.imul(h ^ code.charCodeAt(i), 0x01000193);
    h &= 0x3fffffff; // stays a small integer in V8
    const len = end - start;
    const mask = this.keys.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const key = this.keys[slot];
      if (key === undefined) break;
      if (this.hashes[slot] === h && key.length === len && code.startsWith(key, start)) return key;
    }
    return this.insert(code.slice(start, end), h);
  }

  /** Adds `s` (known to be absent) under hash `h`. */
  private insert(s: string, h: number): string {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = h & mask;
    while (this.keys[slot] !== undefined) slot = (slot + 1) & mask;
    this.keys[slot] = s;
    this.hashes[slot] = h;
    this.size++;
    return s;
  }

  private grow(): void {
    const keys = this.keys;
    const hashes = this.hashes;
    this.keys = new Array<string | undefined>(keys.length * 2).fill(undefined);
    this.hashes = new Array<number>(keys.length * 2).fill(0);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== undefined) this.insert(key, hashes[i] as number);
    }
  }
}
