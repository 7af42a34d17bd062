/**
 * Wire text exactly as the Python runtime writes it.
 *
 * - `parseJson` never rounds: a JSON integer literal that a double cannot hold exactly is an
 *   error (JSON.parse would silently round it).
 * - `formatNumber` writes numbers the way pydantic does: integers as integers, other numbers as
 *   Python's `repr(float)` (`1e-05`, `1.5e+16`); writer.ts writes whole data values with it
 *   (strings with JSON.stringify's escapes, which are serde_json's: `\n`, `\u001f`,
 *   non-ASCII kept).
 * - percent-encoding and CloudEvents `time` formatting of the NATS binding.
 */

import { DecodeError, EncodeError } from "./errors.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type SchemaNode = boolean | { readonly [key: string]: unknown };

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const ENCODER = new TextEncoder();

export function utf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch (error) {
    throw new DecodeError("payload is not valid UTF-8", { cause: error });
  }
}

export function toBytes(text: string): Uint8Array {
  return ENCODER.encode(text);
}

const RUN = 16;

/** Whether `text` has a run of 16 ASCII digits (`/\d{16}/.test`, looking at every 16th char). */
function hasSixteenDigits(text: string): boolean {
  const n = text.length;
  // every run of 16 characters holds exactly one index i with i % 16 === 15
  for (let i = RUN - 1; i < n; i += RUN) {
    if (!isDigit(text.charCodeAt(i))) continue;
    let low = i;
    let high = i;
    while (low > 0 && isDigit(text.charCodeAt(low - 1))) low--;
    while (high + 1 < n && isDigit(text.charCodeAt(high + 1))) high++;
    if (high - low + 1 >= RUN) return true;
    i = high; // the next run starts after high; i + 16 is in every window of 16 beyond it
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** JSON.parse, refusing integer literals that would be rounded. */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DecodeError(`payload is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  checkIntegerLiterals(text);
  return value;
}

function checkIntegerLiterals(text: string): void {
  // Only a literal of 16 digits or more can be beyond 2^53; most texts have no such run.
  if (!hasSixteenDigits(text)) return;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      let integral = true;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 0x30 && d <= 0x39) i++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) {
          integral = false;
          i++;
        } else break;
      }
      if (integral && i - start > 15) {
        const literal = text.slice(start, i);
        if (BigInt(literal) !== BigInt(Number(literal))) {
          throw new DecodeError(
            `integer ${literal} cannot be represented exactly in JavaScript (beyond 2^53); refusing to round it`,
          );
        }
      }
    } else i++;
  }
}

/** Python's repr() of a float, for a finite non-integral number. */
function pythonFloat(value: number): string {
  const [mantissa, exp] = value.toExponential().split("e") as [string, string];
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? "-" : "+";
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

export function formatNumber(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  if (!Number.isFinite(value)) throw new EncodeError(`${value} is not a JSON number`);
  if (Number.isInteger(value)) return BigInt(value).toString();
  const size = Math.abs(value);
  // Decimal notation, where JavaScript and Python agree (Python's exponents -4 to 15).
  if (size >= 1e-4 && size < 1e16) return String(value);
  return pythonFloat(value);
}

/** What a schema-driven writer needs of a validator (see writer.ts). */
export interface SchemaWalk {
  readonly root: SchemaNode;
  /** Whether `value` validates against the schema node at `pointer` (JSON pointer). */
  readonly accepts: (pointer: string, value: unknown) => boolean;
}

// -- percent-encoding (CloudEvents NATS binding, binary mode) -----------------------------------
const HEX = "0123456789ABCDEF";

export function percentEncode(value: string): string {
  if (!value.isWellFormed())
    throw new EncodeError("attribute is not valid Unicode (lone surrogate)");
  let out = "";
  for (const byte of ENCODER.encode(value)) {
    if (byte >= 0x21 && byte <= 0x7e && byte !== 0x22 && byte !== 0x25)
      out += String.fromCharCode(byte);
    else out += "%" + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}

export function percentDecode(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    let unquoted = "";
    const inner = value.slice(1, -1);
    for (let i = 0; i < inner.length; i++) {
      if (inner[i] === "\\") unquoted += i + 1 < inner.length ? inner[++i] : "\\";
      else unquoted += inner[i];
    }
    value = unquoted;
  }
  if (!value.includes("%")) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "%" && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...ENCODER.encode(c));
    }
  }
  return UTF8.decode(new Uint8Array(bytes));
}

// -- time -------------------------------------------------------------------------------------
const TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * An RFC 3339 time as the Python runtime writes it: UTC, `Z`, microseconds when not zero
 * (`2026-03-01T12:30:15.250000Z`). Digits beyond microseconds are truncated. Throws on
 * anything that is not a valid, timezone-aware time.
 */
export function canonicalTime(text: string): string {
  const m = TIME.exec(text);
  if (m === null)
    throw new RangeError(`not an RFC 3339 time with a timezone: ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const micros = (m[7] ?? "").slice(0, 6).padEnd(6, "0");
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    year < 1
  ) {
    throw new RangeError(`not a valid time: ${JSON.stringify(text)}`);
  }
  const zone = m[8]!;
  // Already canonical (UTC, upper-case T and Z, six fraction digits unless all zero): as it is.
  if (
    zone === "Z" &&
    text[10] === "T" &&
    (m[7] === undefined || (m[7].length === 6 && micros !== "000000"))
  )
    return text;
  let offset = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(/:/g, "");
    const [h, mi, s] = [
      Number(digits.slice(0, 2)),
      Number(digits.slice(2, 4)),
      Number(digits.slice(4, 6) || "0"),
    ];
    if (h > 23 || mi > 59 || s > 59)
      throw new RangeError(`not a valid UTC offset: ${JSON.stringify(text)}`);
    offset = (zone[0] === "-" ? -1 : 1) * (h * 3600 + mi * 60 + s);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second - offset, 0);
  return formatUtc(date, micros);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function formatUtc(date: Date, micros: string): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
  const base = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return micros === "000000" ? `${base}Z` : `${base}.${micros}Z`;
}

/** A JavaScript Date (millisecond precision) as a canonical CloudEvents time. */
export function timeFromDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("invalid Date");
  return formatUtc(date, String(date.getUTCMilliseconds() * 1000).padStart(6, "0"));
}
