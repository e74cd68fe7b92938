/**
 * The service's OpenAPI 3.1 document (`GET /openapi.json`), generated from the schemas the
 * service reads with: the cohort body is the published JSON Schema (`cohortJsonSchema`), the
 * query strings and the answers are the zod schemas of schemas.ts.
 */
import { z } from "zod";
import { cohortJsonSchema } from "../schema/json-schema.js";
import {
  ErrorBodySchema,
  ExplainQuerySchema,
  HealthSchema,
  IssueSchema,
  JobSchema,
  MATCH_STATUSES,
  MatchQuerySchema,
  ValidateAnswerSchema,
} from "./schemas.js";

type Json = { [key: string]: unknown };

/** A JSON Schema as a schema object of the document: without its own `$schema`. */
function embedded({ $schema: _, ...rest }: Json): Json {
  return rest;
}

function jsonSchema(schema: z.ZodType, io: "input" | "output" = "output"): Json {
  return embedded(z.toJSONSchema(schema, { io, target: "draft-2020-12" }) as Json);
}

/** A query schema's fields as OpenAPI parameters. */
function parameters(schema: z.ZodObject): Json[] {
  const s = jsonSchema(schema, "input") as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(s.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: "query",
    required: (s.required ?? []).includes(name),
    ...(description === undefined ? {} : { description }),
    schema: property,
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const problem = (description: string) => json(ref("Error"), description);

/** The answers every route with a cohort body may give besides its own. */
const BODY_FAILURES = {
  "400": problem(
    "The body cannot be read (invalid_body: not JSON, not UTF-8, nested too deep, a string too long, a __proto__ key) or the query is wrong (invalid_query).",
  ),
  "413": problem(
    "The body is over the size limit (body_too_large), or the job over its memory (out_of_memory).",
  ),
  "415": problem("The body is not sent as application/json (unsupported_media_type)."),
  "429": problem(
    "Too many requests wait already (queue_full): try again after Retry-After seconds.",
  ),
  "503": problem("The service is shutting down (shutting_down)."),
  "504": problem("The job ran over the service's time limit (time_limit_exceeded)."),
};

const cohortBody = {
  required: true,
  description: "The cohort: the same JSON the library's `parseCohort` reads (docs/MODEL.md).",
  content: { "application/json": { schema: ref("CohortInput") } },
};

/** The OpenAPI document of the service, for `version`. */
export function openApiDocument(version: string): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "mentorflow",
      version,
      description:
        "Strategic mentor–mentee matching over HTTP: validate a cohort, match it exactly (with a certificate of optimality), explain a pair. Errors are `{ error: { code, message, issues? } }` with the library's issue codes and paths (docs/SERVICE.md).",
    },
    paths: {
      "/v1/validate": {
        post: {
          summary: "Check a cohort: every problem at once",
          operationId: "validate",
          requestBody: cohortBody,
          responses: {
            "200": json(ref("ValidateAnswer"), "ok with the cohort's size, or every issue."),
            ...BODY_FAILURES,
          },
        },
      },
      "/v1/match": {
        post: {
          summary: "Match a cohort",
          description:
            "Bodies up to the service's syncMaxBytes are answered in the request (200, the match result). Larger bodies, or a request with `Prefer: respond-async`, become a job: 202 with the job and its Location; poll GET /v1/jobs/{id}.",
          operationId: "match",
          parameters: [
            ...parameters(MatchQuerySchema),
            {
              name: "Prefer",
              in: "header",
              required: false,
              description: "`respond-async`: answer 202 with a job at once, whatever the size.",
              schema: { type: "string" },
            },
          ],
          requestBody: cohortBody,
          responses: {
            "200": json(
              ref("MatchResult"),
              "The match result (status optimal, feasible, time_limit, or infeasible with a diagnosis), as `match` returns it.",
            ),
            "202": json(ref("Job"), "A job was started; poll its Location."),
            "422": problem("The cohort has problems (invalid_input): every issue, at its path."),
            ...BODY_FAILURES,
          },
        },
      },
      "/v1/explain": {
        post: {
          summary:
            "One pair's fit taken apart, why it is not eligible, and (whyNot) why it is not in the match",
          operationId: "explain",
          parameters: parameters(ExplainQuerySchema),
          requestBody: cohortBody,
          responses: {
            "200": json(
              {
                type: "object",
                required: ["explanation", "detail"],
                properties: {
                  explanation: {
                    type: "object",
                    description: "`explainPair`'s answer: total, eligible, reason, terms, skills.",
                  },
                  detail: {
                    type: ["string", "null"],
                    description:
                      "For a pair not eligible, the facts behind the first failing rule, in words.",
                  },
                  whyNot: {
                    type: "object",
                    description:
                      "With whyNot=true: paired, mentorLoad, mentorCapacity, mentorMentees, and for an eligible pair not chosen `forced` — the best answer holding the pair: status, objective, delta, reducedCost, moves (`whyNot`, docs/LIFECYCLE.md).",
                  },
                },
              },
              "The explanation.",
            ),
            "422": problem(
              "The cohort has problems, or it has no such mentee or mentor; with whyNot, a match that is not optimal or a program with equity rules across mentors.",
            ),
            ...BODY_FAILURES,
          },
        },
      },
      "/v1/jobs/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: {
          summary: "A match job: its state, progress, and result or error",
          operationId: "getJob",
          responses: {
            "200": json(ref("Job"), "The job (Retry-After while it is queued or running)."),
            "404": problem("No such job, or it expired (not_found)."),
          },
        },
        delete: {
          summary: "Cancel a job",
          operationId: "cancelJob",
          responses: {
            "200": json(ref("Job"), "The job, cancelled unless it had finished."),
            "404": problem("No such job, or it expired (not_found)."),
          },
        },
      },
      "/healthz": {
        get: {
          summary: "Liveness",
          operationId: "health",
          responses: { "200": json(ref("Health"), "The process answers.") },
        },
      },
      "/readyz": {
        get: {
          summary: "Readiness: takes new work",
          operationId: "ready",
          responses: {
            "200": json(ref("Health"), "Ready."),
            "503": json(ref("Health"), "Busy (every queue full) or closing."),
          },
        },
      },
    },
    components: {
      schemas: {
        CohortInput: embedded(cohortJsonSchema()),
        MatchResult: {
          type: "object",
          required: ["status"],
          properties: { status: { enum: MATCH_STATUSES } },
          description:
            "`match`'s result: pairs, unmatched, mentors' loads, objective, certificate, stats (docs/API.md).",
        },
        Job: jsonSchema(JobSchema),
        Error: jsonSchema(ErrorBodySchema),
        Issue: jsonSchema(IssueSchema),
        ValidateAnswer: jsonSchema(ValidateAnswerSchema),
        Health: jsonSchema(HealthSchema),
      },
    },
  };
}
