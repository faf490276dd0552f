/**
 * Values as Python's json module sees them: ints and floats are distinct (`1` vs `1.0`), and
 * objects are `Map`s so that key order survives even for keys like "50256".
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue = null | boolean | string | number | bigint | PyFloat | PyValue[] | PyMap;
/** A JSON object; plain `number`/`bigint` inside are Python ints. */
export type PyMap = Map<string, PyValue>;

export function isPyMap(v: PyValue | undefined): v is PyMap {
  return v instanceof Map;
}
