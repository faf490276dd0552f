import { dotenvAssign, dotenvQuote } from "./dotenv.js";
import { commentText, json, pyString, shellQuote, tsKey, tsString, yamlString } from "./literals.js";

/**
 * Helpers offered to every template. Handlebars passes its options object as the last argument; the
 * encoders take only the first ones. Output is never HTML-escaped (templates compile with noEscape).
 */
export const TEMPLATE_HELPERS: Readonly<Record<string, (...args: unknown[]) => string>> = {
  json: (value) => json(value),
  tsString: (value) => tsString(value),
  tsKey: (value) => tsKey(value),
  shellQuote: (value) => shellQuote(value),
  dotenvQuote: (value) => dotenvQuote(value),
  dotenvAssign: (name, value) => dotenvAssign(name, value),
  yamlString: (value) => yamlString(value),
  pyString: (value) => pyString(value),
  comment: (value) => commentText(String(value)),
  // Joins its string arguments, so a composed value (e.g. a resource name) can still go through an encoder.
  concat: (...args) => args.slice(0, -1).map(String).join(""),
};
