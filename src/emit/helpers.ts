import { dotenvAssign, dotenvQuote } from "./dotenv.js";
import { commentText, json, pyString, shellQuote, tsKey, tsString, yamlString } from "./literals.js";

/**
 * Helpers offered to every template. Handlebars passes its options object as the last argument; the
 * encoders take only the first ones. Output is never HTML-escaped (templates compile with noEscape).
 */
export const TEMPLATE_HELPERS: Readonly<Record<string, (...args: unknown[]) => string>> = {
  json: arity("json", 1, (value) => json(value)),
  tsString: arity("tsString", 1, (value) => tsString(value)),
  tsKey: arity("tsKey", 1, (value) => tsKey(value)),
  shellQuote: arity("shellQuote", 1, (value) => shellQuote(value)),
  dotenvQuote: arity("dotenvQuote", 1, (value) => dotenvQuote(value)),
  dotenvAssign: arity("dotenvAssign", 2, (name, value) => dotenvAssign(name, value)),
  yamlString: arity("yamlString", 1, (value) => yamlString(value)),
  pyString: arity("pyString", 1, (value) => pyString(value)),
  comment: arity("comment", 1, (value) => commentText(String(value))),
  // Joins its string arguments, so a composed value (e.g. a resource name) can still go through an encoder.
  concat: (...args) => args.slice(0, -1).map(String).join(""),
};

/**
 * Handlebars calls a helper written without its argument with only the options object, which
 * would be encoded as if it were the value: refuse that with a message naming the helper.
 */
function arity(name: string, n: number, fn: (...args: unknown[]) => string): (...args: unknown[]) => string {
  return (...args) => {
    if (args.length - 1 < n)
      throw new Error(`{{${name}}} takes ${n === 1 ? "a value" : `${n} values`}, e.g. {{${name} ${n === 1 ? "X-Policy" : "name value"}}}`);
    return fn(...args);
  };
}
