/**
 * Where a worker thread's module is: the built one next to this module (dist/), or, run from the
 * TypeScript sources (tests, benchmarks), the source loaded through tsx (a dev dependency,
 * resolved from the working directory). For `matchParallel`'s scoring threads (score-worker.ts)
 * and the match pool's threads (match-worker.ts).
 */
import { pathToFileURL } from "node:url";

/** The script of the worker module `name` (`new Worker(script, { eval })`). */
export function workerScript(name: string): { script: URL | string; eval: boolean } {
  // This module's URL: `import.meta.url` in ESM; the CJS build has no `import.meta` (and a shim
  // would land in the core's shared chunk, which must stay browser-safe), but has `__filename`.
  const here = typeof __filename === "string" ? pathToFileURL(__filename).href : import.meta.url;
  if (!here.endsWith(".ts")) return { script: new URL(`./${name}.js`, here), eval: false };
  const source = new URL(`./${name}.ts`, here).href;
  return {
    script: `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(here)}))`,
    eval: true,
  };
}
