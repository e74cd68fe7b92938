import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

/** Bundled into the build rather than installed (see `noExternal` below). */
const BUNDLED = [/^d3-/, "internmap"];

const library: Options = {
  // The threads of `matchParallel` and of the match pool are modules of their own
  // (src/node/worker-script.ts finds them next to the module that starts them).
  entry: {
    index: "src/index.ts",
    scoring: "src/score/index.ts",
    node: "src/node/index.ts",
    "score-worker": "src/node/score-worker.ts",
    "match-worker": "src/node/match-worker.ts",
  },
  format: ["esm", "cjs"],
  // Members tagged @internal (the cohort's tables) are not part of the published types, as in
  // the API report (scripts/api-report.ts).
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  // Shared chunks for CJS too (tsup splits only ESM by default): `mentorflow/node` must reuse the
  // core's module, not a copy, or `InputError` from one entry would fail `instanceof` with the
  // class from the other.
  splitting: true,
  // Keep `node:fs` etc. as written, so a bundler targeting browsers sees them for what they are.
  removeNodeProtocol: false,
  external: [/^node:/],
  // d3-scale and d3-array (the HTML report's charts) ship as ES modules only: bundled, so the
  // CJS build of `mentorflow/node` can load them too (only the parts the report uses are kept).
  // They are build-time dependencies; their licences are in THIRD_PARTY_NOTICES.md.
  noExternal: BUNDLED,
};

export default defineConfig([
  library,
  // The `mentorflow` executable (package.json `bin`): ESM only, for Node, no types.
  {
    entry: { cli: "src/cli/bin.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "es2022",
    platform: "node",
    splitting: false,
    define: { __MENTORFLOW_VERSION__: JSON.stringify(version) },
    external: [/^node:/],
    noExternal: BUNDLED,
  },
]);
