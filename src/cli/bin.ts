#!/usr/bin/env node
/**
 * The `mentorflow` executable (package.json `bin`): runs the command line and sets the exit code.
 */
import { run } from "./program.js";

// A reader that stops early (`mentorflow match … --json - | head`) closes the pipe: stop quietly,
// as other command-line tools do, instead of an unhandled EPIPE error.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });

run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
  stderr: process.stderr,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`mentorflow: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
