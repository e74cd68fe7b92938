// Node entry (`mentorflow/node`): file and CSV I/O on top of the browser-safe core.
export * from "../index.js";
export {
  MENTEE_FORMAT,
  MENTOR_FORMAT,
  LIST_SEPARATOR,
  TRAINING_DATE_SEPARATOR,
  escapeFormula,
  unescapeFormula,
  type CellKind,
  type ColumnSpec,
  type CsvFormat,
  type PrefixSpec,
} from "./csv-format.js";
export {
  parseCohortCsv,
  safeParseCohortCsv,
  readCohortCsv,
  mapIssue,
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
  parseConfigJson,
  type CohortFiles,
} from "./files.js";
export {
  matchParallel,
  verifyMatchParallel,
  PARALLEL_MIN_PAIRS,
  type ParallelMatchOptions,
} from "./parallel.js";
