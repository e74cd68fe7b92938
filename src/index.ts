// Public API of mentorflow (browser-safe: no Node built-ins here; file and CSV I/O live in
// `mentorflow/node`). This file only re-exports.
export * from "./schema/input.js";
export type * from "./cohort/types.js";
export * from "./schema/errors.js";
export { parseCohort, safeParseCohort, type SafeParseCohortResult } from "./cohort/parse.js";
export { cohortJsonSchema, type JsonSchema } from "./schema/json-schema.js";
export {
  type IneligibleReason,
  ELIGIBLE,
  REASON_CODE,
  REASONS,
  ineligibleReason,
  reasonCode,
  reasonFromCode,
  utcOffsetDistance,
} from "./score/eligibility.js";
export * from "./score/gap.js";
export * from "./score/terms.js";
export * from "./score/scorer.js";
export * from "./score/matrix.js";
export * from "./score/topk.js";
export {
  generateCohort,
  DEFAULT_GENERATE_OPTIONS,
  type GenerateCohortOptions,
} from "./generate/cohort.js";
export { createRandom, type Random } from "./generate/random.js";
export { solveAssignment, verifyCertificate } from "./solve/index.js";
export type * from "./solve/types.js";
export { match, verifyMatch } from "./match/match.js";
export { explainPair, type PairExplanation } from "./match/explain.js";
export type * from "./match/types.js";
export { auditFairness } from "./equity/audit.js";
export type * from "./equity/types.js";
