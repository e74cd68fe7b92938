/**
 * mentorflow: strategic mentor–mentee matching. This is the package root (browser-safe: no Node
 * built-ins; files and CSV live in `mentorflow/node`, the scoring kernels in
 * `mentorflow/scoring`). Every public name is listed here on purpose; the API report
 * (`docs/api/mentorflow.api.md`) locks them (docs/API.md).
 *
 * @packageDocumentation
 * @module mentorflow
 */

// The cohort: input types, parsing, the JSON Schema of the input.
export { parseCohort, safeParseCohort, type SafeParseCohortResult } from "./cohort/parse.js";
export type { Cohort, CohortIndex } from "./cohort/types.js";
export { INPUT_LIMITS } from "./schema/input.js";
export type {
  CohortInput,
  EquityRule,
  EquityRuleInput,
  MaxMeanFitGapRule,
  MaxPerMentorPerGroupRule,
  MenteeInput,
  MentorInput,
  MinFitRule,
  MinMatchRateRule,
  PairInput,
  PersonInput,
  Program,
  ProgramInput,
  ProportionalTierAccessRule,
  ReserveRule,
  Rules,
  ScoringOptions,
  ScoringWeights,
  SkillInput,
  StrategyInput,
  TierInput,
  TrainingInput,
} from "./schema/types.js";
export { cohortJsonSchema, type JsonSchema } from "./schema/json-schema.js";

// Errors: every problem with an input at once, as data.
export {
  InputError,
  formatIssues,
  formatLocation,
  type Issue,
  type IssueCode,
  type IssueDetails,
  type IssueLocation,
} from "./schema/errors.js";

// Matching a cohort: the exact match, its independent check, explanations, the fairness audit.
export { match, verifyMatch } from "./match/match.js";
export { explainPair, type PairExplanation } from "./match/explain.js";
export type {
  EquityMultiplier,
  EquityRelaxation,
  EquityRuleStatus,
  MatchCertificate,
  MatchDiagnosis,
  MatchDiagnosisKind,
  MatchOptions,
  MatchPair,
  MatchResult,
  MatchResultBase,
  MentorLoad,
  UnmatchedMentee,
  UnmatchedMenteeReason,
} from "./match/types.js";
export type { IneligibleReason } from "./score/eligibility.js";
export type { ScoreBreakdown } from "./score/scorer.js";
export type { SkillContribution } from "./score/gap.js";
export type { OptionalTerm } from "./score/terms.js";
export { auditFairness } from "./equity/audit.js";
export type {
  AttributeAudit,
  AuditOptions,
  FairnessAudit,
  GroupStats,
  RuleAudit,
} from "./equity/types.js";
export {
  summarizeMatch,
  type DemandGroup,
  type FitPart,
  type MatchSummary,
  type PairSummary,
  type Shortfall,
  type SkillCoverage,
  type SpareCause,
  type SpareGroup,
  type SummaryOptions,
  type TeachBlock,
  type TierSummary,
  type UnmatchedSummary,
} from "./report/summary.js";

// The lifecycle (docs/LIFECYCLE.md): recommendations.
export { recommend } from "./lifecycle/recommend.js";
export type {
  MenteeRecommendations,
  MentorExposure,
  RecommendOptimal,
  RecommendOptions,
  RecommendResult,
  RecommendResultBase,
  RecommendStopped,
  ShortMentee,
  ShortReason,
  Suggestion,
} from "./lifecycle/recommend.js";

// The lifecycle: re-matching (alone, or in a session that keeps the scores) and counterfactuals.
export {
  rematch,
  withoutPeople,
  type AddedPair,
  type DissolvedPair,
  type EndedPair,
  type Leavers,
  type MoveBudgetDiagnosis,
  type PairEndReason,
  type PairStartReason,
  type PreviousMatch,
  type RematchMoves,
  type RematchOptions,
  type RematchResult,
  type RematchSolve,
  type ScoresCarried,
} from "./lifecycle/rematch.js";
export { matchSession, type MatchSession } from "./lifecycle/session.js";
export { whyNot, type Counterfactual, type MenteeMove } from "./lifecycle/counterfactual.js";
export type { PreviousPrices } from "./lifecycle/warm.js";

// The lifecycle: rounds, rotation and history.
export {
  applyHistory,
  compareRounds,
  currentPairs,
  parseHistory,
  roundRecord,
  safeParseHistory,
  type AppliedHistory,
  type ApplyHistoryOptions,
  type CurrentPair,
  type History,
  type HistoryInput,
  type HistoryRecord,
  type HistoryRecordInput,
  type RoundInfo,
  type RoundOutcome,
  type SafeParseHistoryResult,
} from "./lifecycle/rotation.js";

// The lifecycle: stable mode.
export {
  blockingPairs,
  stableMatch,
  type BlockingPair,
  type RankItem,
  type RankList,
  type StabilityProblem,
  type StabilityProblemKind,
  type StabilityReport,
  type StableInput,
  type StableMatchOptions,
  type StableMatchResult,
  type StableMatchingInput,
  type StableMentorLoad,
  type StablePair,
  type StablePairInput,
  type StableSide,
} from "./lifecycle/stable.js";
export {
  cohortRanks,
  compareStable,
  type StableCompareOptions,
  type StableComparison,
  type StableComparisonSide,
} from "./lifecycle/stable-compare.js";

// The assignment engine, for any score matrix or pair list.
export { solveAssignment, verifyCertificate, DEFAULT_SOLVE_OPTIONS } from "./solve/index.js";
export type {
  AssignmentProblem,
  AssignmentResult,
  AssignmentResultBase,
  Bound,
  Certificate,
  ForcedConflict,
  InfeasibilityDiagnosis,
  InfeasibleResult,
  OptimalResult,
  Sense,
  SolveOptions,
  SolveProgress,
  SolveStats,
  SparsePairs,
  TimeLimitResult,
  UnmatchedReason,
  VerifyResult,
} from "./solve/types.js";

// Sample cohorts for examples, tests and benchmarks.
export {
  generateCohort,
  DEFAULT_GENERATE_OPTIONS,
  type GenerateCohortOptions,
} from "./generate/cohort.js";
export { generateProgramRecords, type GenerateHistoryOptions } from "./generate/history.js";

// Impact after the match (docs/IMPACT.md): the records, the scorecard, trajectories, survival
// curves and the calibration of the weights.
export {
  consenting,
  parseProgramRecords,
  safeParseProgramRecords,
  OUTCOME_KINDS,
  type CheckInInput,
  type OutcomeInput,
  type OutcomeKind,
  type ProgramRecords,
  type ProgramRecordsInput,
  type SafeParseRecordsResult,
} from "./impact/records.js";
export {
  scorecard,
  type ImpactFigures,
  type ImpactGroup,
  type MenteeImpact,
  type Scorecard,
  type ScorecardOptions,
  type Timed,
} from "./impact/scorecard.js";
export { trajectories, type Series, type Trajectories } from "./impact/trajectories.js";
export {
  FollowUpBuilder,
  followUpOf,
  type FollowUp,
  type FollowUpResult,
  type ImpactMatch,
} from "./impact/followup.js";
export { programImpact, type ProgramImpact, type ProgramImpactOptions } from "./impact/program.js";
export {
  outcomeCurves,
  type OutcomeCurves,
  type OutcomeCurvesOptions,
  type OutcomeSurvival,
} from "./impact/curves.js";
export {
  kaplanMeier,
  logRank,
  survivalAt,
  type ConfidenceType,
  type KaplanMeierCurve,
  type KaplanMeierOptions,
  type LogRankGroup,
  type LogRankResult,
  type SurvivalObservation,
  type SurvivalStep,
} from "./impact/survival.js";
export {
  calibrate,
  type Calibration,
  type CalibrationOptions,
  type Correlation,
} from "./impact/calibration.js";
