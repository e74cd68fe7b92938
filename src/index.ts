// Public API of mentorflow (browser-safe: no Node built-ins here; file and CSV I/O live in
// `mentorflow/node`). This file only re-exports.
export * from "./schema/input.js";
export type * from "./cohort/types.js";
