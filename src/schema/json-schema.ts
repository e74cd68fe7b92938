/**
 * The cohort input as JSON Schema (draft 2020-12), for services written in other languages.
 *
 * Generated from `CohortInputSchema` on the input side: fields with defaults are optional. JSON
 * Schema cannot express everything zod checks (ids without surrounding white space,
 * `scale.max > scale.min`, `levelGap.min <= levelGap.max`) nor any cross-record rule (unique ids,
 * known references, locked pairs …): a document that passes this schema can still be rejected
 * by `parseCohort`, never the other way round.
 */
import { z } from "zod";
import { CohortInputSchema } from "./input.js";

/** A JSON Schema document: plain JSON, safe to `JSON.stringify`. */
export type JsonSchema = { readonly [key: string]: unknown };

let cached: string | undefined;

/** The JSON Schema of a cohort input. Returns a fresh object on every call. */
export function cohortJsonSchema(): JsonSchema {
  // Generate once; hand out copies so callers may edit theirs.
  cached ??= JSON.stringify(
    z.toJSONSchema(CohortInputSchema, { io: "input", target: "draft-2020-12" }),
  );
  return JSON.parse(cached) as JsonSchema;
}
