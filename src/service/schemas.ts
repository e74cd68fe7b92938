/**
 * The HTTP service's own shapes as zod schemas: the query strings it reads (parsed with these,
 * so their issues have the library's codes and paths) and the bodies it answers with (described
 * by these in the OpenAPI document, and checked against them by the tests). The cohort body is
 * the library's own input (`CohortInputSchema`, read by `parseCohort`).
 */
import { z } from "zod";
import type { Issue } from "../schema/errors.js";

/** A flag in a query string: `true` / `false` (also `1` / `0`). */
const flag = () => z.enum(["true", "false", "1", "0"]).transform((x) => x === "true" || x === "1");

/** A number in a query string, above 0. */
const positiveNumber = () =>
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*$/, { message: "Expected a number of milliseconds, such as 30000" })
    .transform(Number)
    .pipe(z.number().positive());

const id = () => z.string().min(1).max(200);

export const MatchQuerySchema = z.strictObject({
  timeLimitMs: positiveNumber()
    .optional()
    .describe(
      "Stop after this long with the best answer so far and its bound (status time_limit); at most the service's job time limit, which is also the default.",
    ),
  coverageFirst: flag()
    .optional()
    .describe(
      "Match as many mentees as possible first, then the most total fit (default: the program's).",
    ),
});

export const ExplainQuerySchema = z.strictObject({
  mentee: id().describe("The mentee's id."),
  mentor: id().describe("The mentor's id."),
  whyNot: flag()
    .optional()
    .describe(
      "Also match the cohort and say why the pair is or is not in the answer: the mentor's load and mentees, and for an eligible pair not chosen the exact cost of forcing it (a re-solve). Not for programs with equity rules that cut across mentors.",
    ),
  coverageFirst: MatchQuerySchema.shape.coverageFirst,
});

export const ValidateQuerySchema = z.strictObject({});

const LocationSchema = z.union([
  z.object({ kind: z.literal("path"), path: z.array(z.union([z.string(), z.number()])) }),
  z.object({
    kind: z.literal("csv"),
    file: z.string(),
    row: z.number(),
    column: z.string().optional(),
  }),
]);

/** One problem, as the library reports it (`Issue`). */
export const IssueSchema = z.looseObject({
  code: z.string().describe("Stable, machine-readable (docs/API.md lists the codes)."),
  location: LocationSchema,
  message: z.string().describe("What is wrong and what to do, in one sentence."),
});

/** Every answer that is not a success. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z
      .string()
      .describe(
        "invalid_body, invalid_query, invalid_input, body_too_large, out_of_memory, unsupported_media_type, not_found, queue_full, shutting_down, time_limit_exceeded, cancelled (a job), bad_request (any other malformed request), internal_error.",
      ),
    message: z.string(),
    issues: z.array(IssueSchema).optional().describe("Every problem at once, at its path."),
    warnings: z.array(IssueSchema).optional(),
  }),
});

export const ProgressSchema = z.strictObject({
  phase: z.string(),
  done: z.number(),
  total: z.number(),
});

/** `MatchResult.status`. */
export const MATCH_STATUSES = ["optimal", "feasible", "time_limit", "infeasible"] as const;

export const JOB_STATES = ["queued", "running", "done", "failed", "cancelled"] as const;

/** A match job (`202` answers and `GET /v1/jobs/{id}`). */
export const JobSchema = z.strictObject({
  id: z.string(),
  state: z.enum(JOB_STATES),
  createdAt: z.string().describe("ISO 8601, UTC."),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  size: z
    .strictObject({ mentees: z.number(), mentors: z.number() })
    .optional()
    .describe("Once the cohort is read."),
  progress: ProgressSchema.optional().describe("The match's latest progress, while it runs."),
  result: z
    .looseObject({ status: z.enum(MATCH_STATUSES) })
    .optional()
    .describe("When done: the match result, as POST /v1/match answers it."),
  error: ErrorBodySchema.shape.error.optional().describe("When failed or cancelled: why."),
});

export const ValidateAnswerSchema = z.union([
  z.strictObject({ ok: z.literal(true), mentees: z.number(), mentors: z.number() }),
  z.strictObject({
    ok: z.literal(false),
    issues: z.array(IssueSchema),
    warnings: z.array(IssueSchema),
  }),
]);

export const HealthSchema = z.strictObject({
  status: z.enum(["ok", "ready", "busy", "closing"]),
  running: z.number().optional(),
  queued: z.number().optional(),
});

/** The `error` of a failure answer: the library's issues as they are. */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly issues?: readonly Issue[];
  readonly warnings?: readonly Issue[];
}

/** A job as the store keeps it: its result is kept apart, as JSON text. */
export type Job = Omit<z.infer<typeof JobSchema>, "error" | "result"> & { error?: ErrorDetail };
