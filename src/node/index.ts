/**
 * `mentorflow/node`: the whole package root plus file and CSV I/O and matching on worker threads
 * (Node only). Every name added here is listed on purpose; the API report
 * (`docs/api/mentorflow-node.api.md`) locks them (docs/API.md).
 *
 * @packageDocumentation
 * @module mentorflow/node
 */
export * from "../index.js";
export {
  parseCohortCsv,
  safeParseCohortCsv,
  readCohortCsv,
  type CsvSource,
  type CohortCsvSources,
  type CsvOrigin,
  type CohortCsvRead,
  type CohortCsvResult,
  type SafeCohortCsvResult,
} from "./csv.js";
export {
  writeMenteesCsv,
  writeMentorsCsv,
  writeCohortCsv,
  type WriteCsvOptions,
  type CohortCsvFiles,
} from "./csv-write.js";
export {
  loadCohort,
  readCohortInputFromFiles,
  cohortFilesIn,
  writeCohortFiles,
  type CohortFiles,
} from "./files.js";
export {
  matchParallel,
  verifyMatchParallel,
  PARALLEL_MIN_PAIRS,
  type ParallelMatchOptions,
} from "./parallel.js";
export {
  matchInWorker,
  MatchPool,
  PoolFullError,
  WorkerMemoryError,
  type MatchPoolOptions,
  type WorkerMatchOptions,
} from "./pool.js";
export { writeMatchesCsv, writeRecommendationsCsv, writeUnmatchedCsv } from "./results.js";
export {
  appendHistory,
  loadHistory,
  parseHistoryCsv,
  readHistoryCsv,
  safeParseHistoryCsv,
  saveHistory,
  writeHistoryCsv,
  writeHistoryJson,
  type HistoryCsvRead,
  type HistoryRead,
  type SafeHistoryCsvResult,
} from "./history.js";
export {
  parseFollowUpCsv,
  safeParseFollowUpCsv,
  writeProgramRecordsCsv,
  type FollowUpCsvSources,
  type SafeFollowUpCsvResult,
} from "./impact.js";
export { renderMatchReport, type MatchReportOptions } from "../report/html.js";
export { renderImpactReport, type ImpactReportOptions } from "../report/impact-html.js";
