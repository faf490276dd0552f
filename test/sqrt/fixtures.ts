import { readFileSync } from "node:fs";

export interface SqrtFixture {
  id: string;
  kind: "generated" | "mutated";
  code: string;
  valid: boolean;
  /** Line the reference reported; -1 or absent: end of input / none. */
  line?: number;
}

export const fixtures: SqrtFixture[] = JSON.parse(readFileSync(new URL("../fixtures/sqrt.json", import.meta.url), "utf8")) as SqrtFixture[];
