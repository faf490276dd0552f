import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { writtenPath } from "../load/project-files.js";
import { EXIT, type Io } from "./io.js";

/** Writes the JSON Schemas to a directory, or prints the config-file schema. */
export async function runSchema(io: Io, o: { out?: string }): Promise<number> {
  const { buildJsonSchemas, renderJsonSchema, SCHEMA_FILES } = await import("../schema/json-schema.js");
  const schemas = buildJsonSchemas();
  if (o.out === undefined) {
    io.stdout(renderJsonSchema(schemas[SCHEMA_FILES.file]));
    return EXIT.ok;
  }
  if (o.out.includes("\0")) {
    io.stderr(`error: cannot write schemas to ${writtenPath(o.out)}: the path holds a NUL byte, which a file name cannot hold\n`);
    return EXIT.invalid;
  }
  const dir = path.resolve(io.cwd, o.out);
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, schema] of Object.entries(schemas)) await writeFile(path.join(dir, name), renderJsonSchema(schema));
  } catch (e) {
    io.stderr(`error: cannot write schemas to ${o.out}: ${(e as Error).message}\n`);
    return EXIT.invalid;
  }
  io.stderr(`wrote ${Object.keys(schemas).length} schemas to ${o.out}\n`);
  return EXIT.ok;
}
