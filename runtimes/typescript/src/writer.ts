/**
 * Data as JSON text, byte for byte what the Python runtime (pydantic) writes for the same
 * values: properties in the order the schema declares them (then any others in insertion
 * order), numbers as `formatNumber` writes them, strings with JSON.stringify's escapes.
 *
 * The schema is walked once per node, not once per value: each node becomes a {@link Plan}
 * that knows its resolved `$ref`, its property keys (quoted once), the plans of its children
 * and where its `oneOf`/`anyOf` variants are, so writing a value only follows the value. A
 * union (an object node without `properties`) still picks, per value, the first variant the
 * validator accepts, and is written with that variant's properties.
 */

import { EncodeError } from "./errors.js";
import { formatNumber, type SchemaNode, type SchemaWalk } from "./json.js";

type Node = { readonly [key: string]: unknown };

function pointerGet(root: SchemaNode, pointer: string): SchemaNode {
  let node: unknown = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node =
      node !== null && typeof node === "object"
        ? (node as Record<string, unknown>)[key]
        : undefined;
  }
  return (node ?? true) as SchemaNode;
}

function resolve(walk: SchemaWalk, node: SchemaNode, pointer: string): [SchemaNode, string] {
  let seen = 0;
  while (typeof node === "object" && typeof node["$ref"] === "string" && seen++ < 64) {
    const ref = node["$ref"] as string;
    if (!ref.startsWith("#")) break;
    pointer = decodeURIComponent(ref.slice(1));
    node = pointerGet(walk.root, pointer);
  }
  return [node, pointer];
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

interface Property {
  readonly key: string;
  /** `"key":` */
  readonly head: string;
  readonly at: string;
  readonly node: SchemaNode;
  plan: Plan | null;
}

/** The plans of one walk (one validator's schema), made as they are first needed. */
class Plans {
  private readonly made = new Map<SchemaNode, Plan>();

  constructor(readonly walk: SchemaWalk) {}

  of(node: SchemaNode, pointer: string): Plan {
    [node, pointer] = resolve(this.walk, node, pointer);
    let plan = this.made.get(node);
    if (plan === undefined) {
      plan = new Plan(this, node, pointer);
      this.made.set(node, plan);
    }
    return plan;
  }
}

/** How to write values at one (resolved) schema node. */
class Plan {
  private itemPlans: Plan[] | null = null;
  private restPlan: Plan | null = null;
  private propertyList: Property[] | null = null;
  private known: Set<string> | null = null;
  private extraPlan: Plan | null = null;
  private readonly variants: [string, SchemaNode][];

  constructor(
    private readonly plans: Plans,
    private readonly node: SchemaNode,
    private readonly pointer: string,
  ) {
    this.variants = [];
    if (typeof node === "object" && !("properties" in node)) {
      for (const keyword of ["oneOf", "anyOf"]) {
        const list = node[keyword];
        if (!Array.isArray(list)) continue;
        list.forEach((v, i) => this.variants.push([`${pointer}/${keyword}/${i}`, v as SchemaNode]));
      }
    }
  }

  write(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number") return formatNumber(value);
    if (value === null) return "null";
    if (typeof value === "boolean") return value ? "true" : "false";
    if (Array.isArray(value)) return this.writeArray(value);
    if (typeof value === "object") return this.chosen(value).writeObject(value as Node);
    throw new EncodeError(`${typeof value} is not JSON data`);
  }

  /** The plan of the first variant that accepts an object value (this one if none). */
  private chosen(value: object): Plan {
    for (const [at, variant] of this.variants) {
      if (this.plans.walk.accepts(at, value)) return this.plans.of(variant, at);
    }
    return this;
  }

  private writeArray(value: unknown[]): string {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += this.item(i).write(value[i]);
    }
    return out + "]";
  }

  private item(i: number): Plan {
    const node = typeof this.node === "object" ? this.node : {};
    const items = node["items"];
    if (!Array.isArray(items)) {
      this.restPlan ??= this.plans.of((items ?? true) as SchemaNode, `${this.pointer}/items`);
      return this.restPlan;
    }
    if (i >= items.length) {
      const extra = (node["additionalItems"] ?? true) as SchemaNode;
      this.restPlan ??= this.plans.of(extra, `${this.pointer}/additionalItems`);
      return this.restPlan;
    }
    this.itemPlans ??= [];
    this.itemPlans[i] ??= this.plans.of(items[i] as SchemaNode, `${this.pointer}/items/${i}`);
    return this.itemPlans[i];
  }

  private properties(): Property[] {
    if (this.propertyList !== null) return this.propertyList;
    const node = typeof this.node === "object" ? this.node : {};
    const declared = node["properties"];
    const properties =
      declared !== null && typeof declared === "object"
        ? (declared as Record<string, SchemaNode>)
        : {};
    this.propertyList = Object.keys(properties).map((key) => ({
      key,
      head: JSON.stringify(key) + ":",
      at: `${this.pointer}/properties/${escapePointer(key)}`,
      node: properties[key]!,
      plan: null,
    }));
    this.known = new Set(Object.keys(properties));
    return this.propertyList;
  }

  private extra(): Plan {
    if (this.extraPlan === null) {
      const node = typeof this.node === "object" ? this.node : {};
      const additional = node["additionalProperties"];
      const child = (typeof additional === "object" ? additional : true) as SchemaNode;
      this.extraPlan = this.plans.of(child, `${this.pointer}/additionalProperties`);
    }
    return this.extraPlan;
  }

  private writeObject(value: Node): string {
    let out = "{";
    let written = 0;
    for (const property of this.properties()) {
      const child = value[property.key];
      if (child === undefined || !Object.hasOwn(value, property.key)) continue;
      property.plan ??= this.plans.of(property.node, property.at);
      out += (written++ === 0 ? property.head : "," + property.head) + property.plan.write(child);
    }
    const keys = Object.keys(value);
    if (keys.length > written) {
      for (const key of keys) {
        if (this.known!.has(key) || value[key] === undefined) continue;
        const head = JSON.stringify(key) + ":";
        out += (written++ === 0 ? head : "," + head) + this.extra().write(value[key]);
      }
    }
    return out + "}";
  }
}

const PLANS = new WeakMap<SchemaWalk, Plans>();

/** Data as JSON text, byte for byte what the Python runtime writes for the same values. */
export function writeJson(walk: SchemaWalk, value: unknown): string {
  let plans = PLANS.get(walk);
  if (plans === undefined) {
    plans = new Plans(walk);
    PLANS.set(walk, plans);
  }
  return plans.of(walk.root, "").write(value);
}
