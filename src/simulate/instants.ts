/**
 * Instants for `datetime` domains: ISO 8601 text with `Z` or an offset (a date alone is midnight
 * UTC), or epoch seconds. A date-time without a zone names no single instant, so it is none here.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Epoch seconds of an ISO 8601 instant, or undefined when the text is not one. */
export function parseInstant(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h !== undefined && zone === undefined) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const daysInMonth = utcSeconds(year, month, 0, 0, 0, 0) / 86400 - utcSeconds(year, month - 1, 0, 0, 0, 0) / 86400;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const digits = zone.replace(":", "");
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5) || 0);
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return utcSeconds(year, month - 1, day, hour, minute, second) + (frac ? Number(`0.${frac}`) : 0) - offset;
}

/** A value as an instant: ISO text or epoch seconds (a bool is not a number). */
export function instantOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") return parseInstant(value);
  return undefined;
}

/** Like `Date.UTC(...) / 1000`, without its mapping of years 0-99 to 1900-1999. */
function utcSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() / 1000;
}
