// Node entry (`mentorflow/node`): file and CSV I/O on top of the browser-safe core.
export * from "../index.js";
