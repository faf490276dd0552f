import { DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import { EXIT, type Io } from "./io.js";
import { report } from "./report.js";

/** An existing file whose `$id` is under ours is one `schema -o` wrote. */
function isOurSchema(text: string, idBase: string): boolean {
  try {
    const id = (JSON.parse(text) as { $id?: unknown } | null)?.$id;
    return typeof id === "string" && id.startsWith(idBase);
  } catch {
    return false;
  }
}

/**
 * Writes the JSON Schemas to a directory, or prints the config-file schema. The files are written
 * as build writes outputs (emit/write.ts): never through a link, over a FIFO or device, or over a
 * file that is not one of our schemas, unless `--force`; unchanged files are left alone.
 */
export async function runSchema(io: Io, o: { out?: string; force?: boolean }): Promise<number> {
  const { buildJsonSchemas, renderJsonSchema, SCHEMA_FILES, SCHEMA_ID_BASE } = await import("../schema/json-schema.js");
  const schemas = buildJsonSchemas();
  if (o.out === undefined) {
    io.stdout(renderJsonSchema(schemas[SCHEMA_FILES.file]));
    return EXIT.ok;
  }
  const { writeOutputs } = await import("../emit/index.js");
  const files = Object.entries(schemas).map(([name, schema]) => ({ path: `${o.out}/${name}`, content: renderJsonSchema(schema) }));
  const generated = {
    test: (head: string, whole: string | undefined) => isOurSchema(whole ?? head, SCHEMA_ID_BASE),
    words: `not a JSON Schema whose $id starts with ${SCHEMA_ID_BASE}`,
  };
  let written: string[];
  let unchanged: string[];
  try {
    ({ written, unchanged } = await writeOutputs(files, { cwd: io.cwd, guard: { inputs: [], force: Boolean(o.force), generated } }));
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    report(io, e.diagnostics as Diagnostic[], {});
    return EXIT.invalid;
  }
  io.stderr(
    unchanged.length === 0
      ? `wrote ${written.length} schemas to ${o.out}\n`
      : `schemas in ${o.out}: ${written.length} written, ${unchanged.length} unchanged\n`,
  );
  return EXIT.ok;
}
