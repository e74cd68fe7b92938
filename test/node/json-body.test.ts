/**
 * Reading an untrusted JSON body (src/node/json-body.ts: its bytes checked, then parsed, as the
 * service does on two threads): any JSON within the limits reads as
 * JSON.parse reads it; each limit is exact (at it: read; one past it: refused, at its line); a
 * `__proto__` key is refused however it is written.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BodyError,
  checkJsonBytes,
  JSON_BODY_LIMITS,
  parseCheckedJson,
} from "../../src/node/json-body.js";
import { InputError } from "../../src/schema/errors.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** A body read as the service reads it: its bytes checked, then parsed (on another thread). */
function readJsonBody(body: Uint8Array): unknown {
  checkJsonBytes(body);
  return parseCheckedJson(body);
}

function refusal(text: string | Uint8Array) {
  try {
    readJsonBody(typeof text === "string" ? bytes(text) : text);
  } catch (e) {
    expect(e).toBeInstanceOf(BodyError);
    expect(e).toBeInstanceOf(InputError);
    return (e as BodyError).issues;
  }
  throw new Error("not refused");
}

describe("checkJsonBytes, then parseCheckedJson", () => {
  it("reads any JSON within the limits as JSON.parse does, in any layout", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.constantFrom(undefined, 2, "\t"),
        (value, indent) => {
          const text = JSON.stringify(value, null, indent);
          if (/"__proto__"\s*:/.test(text)) return; // refused, below
          expect(readJsonBody(bytes(text))).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses one level past the depth limit, at its line", () => {
    const { depth } = JSON_BODY_LIMITS;
    expect(readJsonBody(bytes("[".repeat(depth) + "]".repeat(depth)))).toBeTruthy();
    const deeper = `{\n"a":\n${"[".repeat(depth)}${"]".repeat(depth)}}`;
    expect(refusal(deeper)).toEqual([
      expect.objectContaining({
        code: "too_deep",
        location: { kind: "csv", file: "body", row: 3 },
      }),
    ]);
    // Brackets inside strings are not nesting.
    expect(readJsonBody(bytes(JSON.stringify(["[".repeat(depth * 2)])))).toHaveLength(1);
  });

  it("refuses a string one character past the limit, counting characters, not bytes", () => {
    const n = JSON_BODY_LIMITS.stringLength;
    expect(readJsonBody(bytes(JSON.stringify({ name: "é".repeat(n) })))).toBeTruthy();
    expect(refusal(JSON.stringify({ name: "é".repeat(n + 1) }))[0].code).toBe("too_big");
    expect(refusal(JSON.stringify({ ["k".repeat(n + 1)]: 1 }))[0].code).toBe("too_big");
    // An escaped quote does not end the string.
    expect(refusal(`["${'\\"'.repeat(n)}"]`)[0].code).toBe("too_big");
  });

  it("refuses __proto__ keys however written, and constructor.prototype, at their paths", () => {
    expect(refusal('{"a": 1, "__proto__" \n : {}}')).toEqual([
      expect.objectContaining({
        code: "forbidden_key",
        location: { kind: "csv", file: "body", row: 2 },
      }),
    ]);
    expect(refusal('{"a": [{"\\u005f_proto__": 1}]}')).toEqual([
      expect.objectContaining({
        code: "forbidden_key",
        location: { kind: "path", path: ["a", 0, "__proto__"] },
      }),
    ]);
    expect(refusal('{"constructor": {"prototype": {"x": 1}}}')[0].location).toEqual({
      kind: "path",
      path: ["constructor", "prototype"],
    });
    // As a value, or a key elsewhere, they are plain data.
    expect(readJsonBody(bytes('{"id": "__proto__", "prototype": 1}'))).toEqual({
      id: "__proto__",
      prototype: 1,
    });
    expect(Object.getPrototypeOf(readJsonBody(bytes("{}")))).toBe(Object.prototype);
  });

  it("refuses bytes that are not UTF-8, malformed JSON and an empty body", () => {
    expect(refusal(new Uint8Array([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]))[0].code).toBe(
      "invalid_utf8",
    );
    expect(refusal('{\n"a": [1,\n2,3] x')).toEqual([
      expect.objectContaining({
        code: "invalid_json",
        location: { kind: "csv", file: "body", row: 3 },
      }),
    ]);
    // V8 quotes the text after "Unexpected token"; the message does not (it may be personal).
    const [quoted] = refusal('{"name": "Ada Lovelace", "level": tru}');
    expect(quoted.message).toBe("Not valid JSON: Unexpected token '}'");
    expect(quoted.location).toEqual({ kind: "path", path: [] });
    expect(refusal("  ")[0].message).toMatch(/^Empty/);
    // A byte-order mark is dropped.
    expect(readJsonBody(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes("[1]")]))).toEqual([1]);
  });

  it("checkJsonBytes refuses what the bytes show, and nothing a parse would be needed for", () => {
    expect(() => checkJsonBytes(bytes("[".repeat(1_000_000)))).toThrow(BodyError);
    expect(() => checkJsonBytes(bytes("{not json"))).not.toThrow();
  });
});
