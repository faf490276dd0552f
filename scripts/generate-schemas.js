#!/usr/bin/env node
// Writes schemas/*.json from the zod models (compiled into dist/ by `npm run build`).
// `--check` compares instead of writing and exits 1 when a file is stale.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildJsonSchemas, renderJsonSchema } from "../dist/schema/json-schema.js";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = path.join(root, "schemas");
const check = process.argv.includes("--check");
let stale = 0;
await mkdir(dir, { recursive: true });
for (const [name, schema] of Object.entries(buildJsonSchemas())) {
  const file = path.join(dir, name);
  const text = renderJsonSchema(schema);
  const current = await readFile(file, "utf8").catch(() => undefined);
  if (current === text) continue;
  if (check) {
    stale++;
    console.error(`schemas/${name} is out of date; run \`npm run schemas\``);
  } else {
    await writeFile(file, text);
    console.log(`wrote schemas/${name}`);
  }
}
process.exitCode = stale ? 1 : 0;
