/**
 * Payload validation with ajv (JSON Schema draft 7), compiled once at module load from each
 * event's embedded data schema.
 *
 * Formats and `multipleOf` follow the Python runtime exactly: `date-time`, `date`, `time`,
 * `uuid`, `uri` and `email` use the same rules as specgen_runtime, `ipv4`/`ipv6` come from
 * ajv-formats, other formats are annotations; `multipleOf` is exact for decimals (0.0075 is a
 * multiple of 0.0001). Integers are JavaScript numbers: a value of an `integer` schema beyond
 * +-(2^53 - 1) is rejected (it could not have been read exactly), never rounded.
 */

import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from "ajv";
import { createRequire } from "node:module";

import { type SchemaNode, type SchemaWalk } from "./json.js";

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const URI = /^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^`]*$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (m === null) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return validDate(y, mo, d) && h < 24 && mi < 60 && s <= 60;
}

function isDate(value: string): boolean {
  const m = DATE.exec(value);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isTime(value: string): boolean {
  const m = TIME.exec(value);
  return m !== null && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3]) <= 60;
}

/** Exact decimal parts of a finite number: [digits, exponent] with value = digits * 10^exponent. */
function decimal(value: number): [bigint, number] {
  const [mantissa, exp] = value.toExponential().split("e") as [string, string];
  const [whole, fraction = ""] = mantissa.split(".") as [string, string?];
  return [BigInt(whole + fraction), Number(exp) - fraction.length];
}

export function isMultipleOf(value: number, divisor: number): boolean {
  if (!Number.isFinite(value)) return false;
  const [a, p] = decimal(value);
  const [b, q] = decimal(divisor);
  const low = Math.min(p, q);
  const scaledA = a * 10n ** BigInt(p - low);
  const scaledB = b * 10n ** BigInt(q - low);
  return scaledB !== 0n && scaledA % scaledB === 0n;
}

function integerTyped(schema: Record<string, unknown>): boolean {
  const type = schema["type"];
  return (
    type === "integer" ||
    (Array.isArray(type) && type.includes("integer") && !type.includes("number"))
  );
}

// ajv-formats is CommonJS with a `default` export: load it the CommonJS way.
const addFormats = (
  createRequire(import.meta.url)("ajv-formats") as { default: (ajv: Ajv, formats: string[]) => Ajv }
).default;

const SAFE_INTEGER = "x-specgen-safe-integer";
const DATA_KEYWORDS = new Set(["enum", "const", "examples", "default"]);

/** A copy of a schema whose integer schemas also demand safe integers (see the module doc). */
function withSafeIntegers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withSafeIntegers);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // defineProperty: a plain assignment to "__proto__" would set the prototype instead
    Object.defineProperty(out, key, {
      value: DATA_KEYWORDS.has(key) ? value : withSafeIntegers(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (integerTyped(out)) out[SAFE_INTEGER] = true;
  const properties = out["properties"];
  if (
    properties !== null &&
    typeof properties === "object" &&
    Object.hasOwn(properties, "__proto__")
  ) {
    // ajv ignores a property schema named "__proto__"; the same rule as a pattern property works
    const { __proto__: proto, ...rest } = Object.fromEntries(Object.entries(properties)) as Record<
      string,
      unknown
    >;
    out["properties"] = rest;
    const patterns = {
      ...((out["patternProperties"] as object | undefined) ?? {}),
      "^__proto__$": proto,
    };
    out["patternProperties"] = patterns;
  }
  return out;
}

function createAjv(): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    ownProperties: true,
    validateFormats: true,
    unicodeRegExp: true,
    logger: false,
  });
  addFormats(ajv, ["ipv4", "ipv6"]);
  ajv.addFormat("date-time", isDateTime);
  ajv.addFormat("date", isDate);
  ajv.addFormat("time", isTime);
  ajv.addFormat("uuid", UUID);
  ajv.addFormat("uri", URI);
  ajv.addFormat("email", EMAIL);
  ajv.removeKeyword("multipleOf");
  ajv.addKeyword({
    keyword: "multipleOf",
    type: "number",
    schemaType: "number",
    errors: false,
    validate: (divisor: number, value: number) => isMultipleOf(value, divisor),
  });
  ajv.addKeyword({
    keyword: SAFE_INTEGER,
    type: "number",
    schemaType: "boolean",
    errors: false,
    validate: (_on: boolean, value: number) =>
      !Number.isInteger(value) || Number.isSafeInteger(value),
  });
  return ajv;
}

let shared: Ajv | undefined;
// Validators of every package in the process share one ajv: each gets its own key, so two
// packages (or two versions of one) may declare the same event type.
let compiled = 0;

function ajv(): Ajv {
  shared ??= createAjv();
  return shared;
}

/** A compiled validator of one event's data. */
export class DataValidator<D> implements SchemaWalk {
  readonly root: SchemaNode;
  private readonly id: string;
  private readonly check: ValidateFunction;

  constructor(eventType: string, schema: SchemaNode) {
    const id = `specgen-${++compiled}-${encodeURIComponent(eventType)}`;
    this.id = id;
    this.root = withSafeIntegers(schema) as SchemaNode;
    const withId = typeof this.root === "object" ? { ...this.root, $id: id } : this.root;
    ajv().addSchema(withId as AnySchemaObject, id);
    this.check = ajv().getSchema(id)!;
  }

  /** The reason `value` is invalid, or undefined when it is valid. */
  problem(value: unknown): string | undefined {
    if (this.check(value)) return undefined;
    return describe(this.check.errors ?? []);
  }

  is(value: unknown): value is D {
    return this.check(value) === true;
  }

  accepts(pointer: string, value: unknown): boolean {
    const fn = ajv().getSchema(`${this.id}#${pointer}`);
    return fn !== undefined && fn(value) === true;
  }
}

function describe(errors: ErrorObject[]): string {
  const first = errors[0];
  if (first === undefined) return "invalid";
  const where =
    first.instancePath === "" ? "data" : `data${first.instancePath.replace(/\//g, ".")}`;
  const rule =
    first.keyword === SAFE_INTEGER
      ? "must be an integer within +-(2^53 - 1) (JavaScript numbers hold no more)"
      : (first.message ?? first.keyword);
  return `${where}: ${rule}`;
}
