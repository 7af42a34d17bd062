/**
 * Payload validation with ajv (JSON Schema draft 7), compiled once at module load from each
 * event's embedded data schema.
 *
 * Patterns run on re2js (RE2 in pure JavaScript: linear time, never backtracking), in the
 * translation the generator embeds under `x-specgen-re2` (docs/regex-dialect.md): no payload
 * can make a check take super-linear time, and a pattern means what it means in Python and
 * Rust. Formats follow docs/formats.md exactly, with the Python runtime's very patterns
 * (`formatPatterns.ts` is generated from them). `multipleOf` is exact for decimals (0.0075 is
 * a multiple of 0.0001). Integers are JavaScript numbers: a value of an `integer` schema
 * beyond +-(2^53 - 1) is rejected (it could not have been read exactly), never rounded.
 */

import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from "ajv";
import { RE2JS } from "re2js";

import { FORMAT_PATTERNS } from "./formatPatterns.js";
import { type SchemaNode, type SchemaWalk } from "./json.js";

/** The key of an embedded schema's pattern translations: ECMA-262 source -> RE2 syntax. */
export const RE2_KEY = "x-specgen-re2";
const TRANSLATIONS = new Map<string, string>();

interface RegExpLike {
  test: (text: string) => boolean;
  toString: () => string;
}

/** The RE2 translation of an ECMA-262 pattern: the embedded one, else the source as it is. */
export function re2Of(source: string): string {
  return TRANSLATIONS.get(source) ?? source;
}

/** Texts up to this length have their answer remembered (values such as currency codes repeat). */
const REMEMBERED_LENGTH = 64;
/** Answers remembered per pattern; the memory is emptied when it is full. */
const REMEMBERED_COUNT = 256;

/** A linear-time matcher for a pattern in RE2 syntax (a search, like RegExp.test). */
export function linearRegExp(re2: string): RegExpLike {
  const compiled = RE2JS.compile(re2);
  const answers = new Map<string, boolean>();
  const test = (text: string): boolean => {
    if (text.length > REMEMBERED_LENGTH) return compiled.test(text);
    let answer = answers.get(text);
    if (answer === undefined) {
      // an unanchored search like `matcher(text).find()`, without match positions (re2js's DFA)
      answer = compiled.test(text);
      if (answers.size >= REMEMBERED_COUNT) answers.clear();
      answers.set(text, answer);
    }
    return answer;
  };
  // ajv shares compiled patterns by their toString(): it must tell patterns apart
  return { test, toString: () => `re2:${re2}` };
}

/**
 * ajv's pattern engine: the embedded translation, on re2js. A pattern given without one (a
 * hand-written schema) is compiled as RE2 as it is: linear too, and the same as ECMA-262 for
 * the common subset (classes, groups, quantifiers, `\d`, `\w`, `^`, `$`), but RE2's `\s` and
 * `.` are narrower, and lookaround is refused there as well.
 */
const regExp = Object.assign((source: string): RegExpLike => linearRegExp(re2Of(source)), {
  code: "specgen-re2",
});

const GRAMMAR = new Map(
  Object.entries(FORMAT_PATTERNS).map(([name, re2]) => [name, linearRegExp(re2)]),
);
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const TIME = "([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))";
const TIME_ONLY = new RegExp(`^${TIME}$`);
const DATE_TIME = new RegExp(`^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]${TIME}$`);

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/** RFC 3339 time and offset in range; a leap second only at 23:59:60 UTC. */
function validTime(parts: (string | undefined)[]): boolean {
  const [h, m, s, sign, oh, om] = parts;
  const [hour, minute, second] = [Number(h), Number(m), Number(s)];
  const [offsetHour, offsetMinute] = [Number(oh ?? 0), Number(om ?? 0)];
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) {
    return false;
  }
  if (second < 60) return true;
  const offset = (offsetHour * 60 + offsetMinute) * (sign === "-" ? -1 : 1);
  return (((hour * 60 + minute - offset) % 1440) + 1440) % 1440 === 23 * 60 + 59;
}

function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  return (
    m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3])) && validTime(m.slice(4, 10))
  );
}

function isDate(value: string): boolean {
  const m = DATE.exec(value);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isTime(value: string): boolean {
  const m = TIME_ONLY.exec(value);
  return m !== null && validTime(m.slice(1, 7));
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
    logger: false,
    code: { regExp },
  });
  ajv.addFormat("date-time", isDateTime);
  ajv.addFormat("date", isDate);
  ajv.addFormat("time", isTime);
  for (const [name, matcher] of GRAMMAR)
    ajv.addFormat(name, (value: string) => matcher.test(value));
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
    const translations = typeof schema === "object" ? schema[RE2_KEY] : undefined;
    for (const [source, re2] of Object.entries((translations ?? {}) as Record<string, string>)) {
      TRANSLATIONS.set(source, re2);
    }
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
