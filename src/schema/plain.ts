/**
 * Plain data only. The cohort input is JSON-shaped: objects are plain (object literals,
 * `JSON.parse` output, `Object.create(null)`), lists are arrays. zod's object schemas accept any
 * non-array object, so a `Date`, a `Map`, a class instance or a boxed number given where an object
 * is expected would parse as `{}` (every field absent or defaulted), and zod's record schemas
 * reject one without saying what it was.
 *
 * `plainInput(schema, input)` fixes that once for every object in the schema: it walks the input
 * where the schema reads it (never into unknown keys, so its work is bounded by zod's own) and
 * replaces each non-plain object, and each value whose reading throws (a getter, a proxy trap),
 * by a *stand-in*: a value every schema in `input.ts` rejects as the wrong type, and that
 * `describeReceived` names by what it stands for ("a Date", "a Map", "an instance of Team"). zod
 * then reports one `invalid_type` issue at its path with the field's expected type, and nothing
 * beneath it. The walk copies only the objects and arrays on the way to a stand-in; the caller's
 * input is never written, and a plain input (the common case) comes back as the same object.
 */
import type { z } from "zod";

/** Stand-in → the description of the value it replaced. */
const STANDS_FOR = new WeakMap<object, string>();

/** What a value whose reading threw is called in messages. */
export const UNREADABLE = "an unreadable value (reading it threw an error)";

/** A stand-in for a value zod must reject, described as `what` in messages. A function: the
 * cohort schema has no function-typed field, and zod's object, record, array, union and
 * primitive schemas all reject one as the wrong type. */
function standIn(what: string): () => void {
  const f = () => {};
  STANDS_FOR.set(f, what);
  return f;
}

/** What a stand-in made by `plainInput` stands for; undefined for any other value. */
export function standsFor(value: unknown): string | undefined {
  return typeof value === "function" ? STANDS_FOR.get(value) : undefined;
}

/**
 * A plain object: its prototype is `Object.prototype` or `null` (also an `Object.prototype` of
 * another realm: a prototype whose own prototype is `null`, on an ordinary object).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return true;
  return (
    Object.getPrototypeOf(proto) === null &&
    Object.prototype.toString.call(value) === "[object Object]"
  );
}

const NAME = /^[A-Za-z_$][\w$]{0,63}$/;

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? `an ${word}` : `a ${word}`;
}

/**
 * The kind of an object, for messages: "object" (plain), "array", "a Date", "a Map",
 * "a boxed number", "an instance of Team", "an object with a custom prototype". Never reads the
 * object's data; a proxy or getter that throws gives `UNREADABLE`.
 */
export function describeObject(value: object): string {
  try {
    if (Array.isArray(value)) return "array";
    if (isPlainObject(value)) return "object";
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    if (tag === "Number" || tag === "String" || tag === "Boolean")
      return `a boxed ${tag.toLowerCase()} (new ${tag}(…))`;
    if (tag !== "Object" && NAME.test(tag)) return article(tag);
    const ctor: unknown = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)
      ?.constructor;
    const name = typeof ctor === "function" ? ctor.name : "";
    return NAME.test(name) && name !== "Object"
      ? `an instance of ${name}`
      : "an object with a custom prototype";
  } catch {
    return UNREADABLE;
  }
}

/** Where the schema reads the input: the objects, lists and records it descends into. */
type Plan =
  | { readonly kind: "leaf" }
  | { readonly kind: "object"; readonly fields: readonly (readonly [string, Plan])[] }
  | { readonly kind: "array"; readonly element: Plan }
  | { readonly kind: "record"; readonly value: Plan }
  | { readonly kind: "union"; readonly options: readonly Plan[] };

const LEAF: Plan = { kind: "leaf" };

/** The plan of a zod schema, from its definition (`_zod.def`, zod's introspection API). Kinds
 * not listed (strings, numbers, enums, literals …) are leaves: zod rejects any object there
 * itself, and `describeReceived` names it. */
function planOf(schema: z.core.$ZodType): Plan {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case "object":
      return {
        kind: "object",
        fields: Object.entries(def.shape).map(([key, s]) => [key, planOf(s)] as const),
      };
    case "array":
      return { kind: "array", element: planOf(def.element) };
    case "record":
      return { kind: "record", value: planOf(def.valueType) };
    case "union":
      return { kind: "union", options: def.options.map(planOf) };
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return planOf(def.innerType);
    case "pipe":
      return planOf(def.in);
    default:
      return LEAF;
  }
}

const plans = new WeakMap<z.core.$ZodType, Plan>();

/** `obj[key]`, as zod reads it; a key named `__proto__` is read as an own property (never the
 * prototype accessor), as `read.ts` does. */
function ownValue(obj: object, key: string): unknown {
  if (key !== "__proto__") return (obj as Record<string, unknown>)[key];
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d === undefined ? undefined : "value" in d ? d.value : d.get?.call(obj);
}

/** A copy of a plain object with the same prototype and own properties (all configurable, so
 * one can be replaced). */
function copyObject(obj: object): Record<string, unknown> {
  const out = Object.create(Object.getPrototypeOf(obj) as object | null) as Record<string, unknown>;
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(obj)))
    Object.defineProperty(out, key, { ...d, configurable: true });
  return out;
}

/** A copy of a list (an element that throws when read becomes a stand-in). */
function copyArray(list: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(list.length);
  for (let k = 0; k < list.length; k++) {
    try {
      out[k] = list[k];
    } catch {
      out[k] = standIn(UNREADABLE);
    }
  }
  return out;
}

function setOwn(obj: object, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `value` with every non-plain object and unreadable value on `plan` replaced by a stand-in;
 * `value` itself when there is none. */
function clean(value: unknown, plan: Plan): unknown {
  if (plan.kind === "leaf" || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    // A list where the schema wants something else is zod's to report ("received array").
    if (plan.kind === "union") return cleanUnion(value, plan.options);
    if (plan.kind !== "array" || plan.element.kind === "leaf") return value;
    let out: unknown[] | undefined;
    for (let k = 0; k < value.length; k++) {
      let v: unknown;
      let c: unknown;
      try {
        v = value[k];
        c = clean(v, plan.element);
      } catch {
        c = standIn(UNREADABLE);
      }
      if (c !== v) (out ??= copyArray(value))[k] = c;
    }
    return out ?? value;
  }
  if (!isPlainObject(value)) return standIn(describeObject(value));
  switch (plan.kind) {
    case "object": {
      let out: Record<string, unknown> | undefined;
      for (const [key, field] of plan.fields) {
        // Every field the schema reads is read once here, leaves too, so a throwing getter is
        // caught at its path instead of inside zod.
        let v: unknown;
        let c: unknown;
        try {
          v = ownValue(value, key);
          c = clean(v, field);
        } catch {
          c = standIn(UNREADABLE);
        }
        if (c !== v) setOwn((out ??= copyObject(value)), key, c);
      }
      return out ?? value;
    }
    case "record": {
      if (plan.value.kind === "leaf") return value;
      let out: Record<string, unknown> | undefined;
      for (const key of Object.keys(value)) {
        let v: unknown;
        let c: unknown;
        try {
          v = ownValue(value, key);
          c = clean(v, plan.value);
        } catch {
          c = standIn(UNREADABLE);
        }
        if (c !== v) setOwn((out ??= copyObject(value)), key, c);
      }
      return out ?? value;
    }
    case "union":
      return cleanUnion(value, plan.options);
    default:
      return value; // an object where the schema wants a list: zod reports it
  }
}

function cleanUnion(value: unknown, options: readonly Plan[]): unknown {
  let v = value;
  for (const option of options) v = clean(v, option);
  return v;
}

/**
 * The input with every non-plain object (and every value that throws when read) at a place
 * `schema` reads replaced by a stand-in that zod rejects at that path; see the file comment.
 * Returns `input` itself when there is nothing to replace. Never writes to `input`.
 */
export function plainInput(schema: z.core.$ZodType, input: unknown): unknown {
  let plan = plans.get(schema);
  if (plan === undefined) plans.set(schema, (plan = planOf(schema)));
  try {
    return clean(input, plan);
  } catch {
    return standIn(UNREADABLE);
  }
}
