// What the input-side safety tests share.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { freshDir } from "../helpers.js";

export const SECRET = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG";

/** A folder outside every project, holding a secret. */
export function secretFile(): string {
  const dir = freshDir("sequrity-secret-");
  const file = path.join(dir, ".env");
  writeFileSync(file, SECRET + "\n");
  return file;
}
