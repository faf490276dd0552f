/**
 * Three-valued (Kleene) logic: `true`, `false` and `null` for unknown. An unknown never turns into a
 * guess: `not unknown` is unknown, `false and unknown` is false, `true or unknown` is true.
 */
export type Tri = boolean | null;

export function not(a: Tri): Tri {
  return a === null ? null : !a;
}

export function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : null;
}

export function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : null;
}
