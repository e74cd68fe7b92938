/**
 * Packaging smoke test: build with tsup, pack the tarball, install it into a fresh project and
 * import both entries (`mentorflow`, `mentorflow/node`) from ESM and from CJS. Also checks that
 * the core bundle is browser-safe (no Node built-ins, no `process`, no `Buffer`).
 *
 * The build goes to a temporary folder (staged with package.json), so the repository's `dist/`
 * is never touched by a test run.
 */
import { execFile, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const quiet = ["--no-audit", "--no-fund", "--loglevel=error"];

let work: string;
let stage: string;
let app: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "mentorflow-pack-"));
  stage = join(work, "package");
  app = join(work, "app");
  await mkdir(stage);
  await mkdir(app);
  // npm run build = tsup (tsup.config.ts), redirected into the staging folder.
  await run(npm, ["run", "build", "--silent", "--", "--out-dir", join(stage, "dist")], {
    cwd: root,
  });
  // What npm always packs besides `files`: package.json, README, LICENSE. (`prepare` builds
  // from src/, which the staging folder has not: packing here skips scripts.)
  for (const name of await readdir(root)) {
    if (/^(package\.json|readme(\..*)?|licen[cs]e(\..*)?|third_party_notices\.md)$/i.test(name)) {
      await copyFile(join(root, name), join(stage, name));
    }
  }
  const { stdout } = await run(
    npm,
    ["pack", "--json", "--ignore-scripts", "--pack-destination", work, ...quiet],
    {
      cwd: stage,
    },
  );
  const tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0].filename);
  await writeFile(
    join(app, "package.json"),
    JSON.stringify({ name: "mentorflow-smoke", private: true, version: "0.0.0" }),
  );
  await run(npm, ["install", tarball, "--prefer-offline", ...quiet], { cwd: app });
}, 300_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** The script both module systems run: generate → write CSV → parse CSV → compare; and
 * `matchParallel` on two threads and `matchInWorker` (their worker modules found in the installed
 * dist) against `match`. */
function smokeScript(load: string): string {
  return `${load}
const input = core.generateCohort({ mentees: 30, mentors: 8, seed: 3 });
const direct = core.parseCohort(input);
const files = node.writeCohortCsv(input);
const { cohort, warnings } = node.parseCohortCsv({
  mentees: { text: files.mentees },
  mentors: { text: files.mentors },
  config: JSON.parse(files.config),
});
let sameClass = false;
try {
  node.parseCohortCsv({ mentees: { text: "" }, mentors: { text: files.mentors }, config: {} });
} catch (error) {
  sameClass = error instanceof core.InputError && error.issues.length > 0;
}
const withoutStats = (r) => JSON.stringify({ ...r, stats: undefined });
Promise.all([node.matchParallel(direct, { threads: 2 }), node.matchInWorker(input)]).then(([parallel, inWorker]) => console.log(JSON.stringify({
  parallelSame: withoutStats(parallel) === withoutStats(core.match(direct)),
  workerSame: withoutStats(inWorker) === withoutStats(core.match(direct)),
  mentees: cohort.index.menteeIds.length,
  mentors: cohort.index.mentorIds.length,
  warnings: warnings.length,
  sameAsDirect: JSON.stringify(cohort.index) === JSON.stringify(direct.index),
  sameClass,
  nodeReexportsCore: node.parseCohort === core.parseCohort,
  hasLoadCohort: typeof node.loadCohort === "function",
  coreHasNoCsv: !("parseCohortCsv" in core),
  scoringScores: typeof scoring.createScorer(direct).score(0, 0) === "number",
  coreHasNoKernels: !("createScorer" in core) && !("MenteeSchema" in core),
})));
`;
}

const expected = {
  parallelSame: true,
  workerSame: true,
  mentees: 30,
  mentors: 8,
  warnings: 0,
  sameAsDirect: true,
  sameClass: true,
  nodeReexportsCore: true,
  hasLoadCohort: true,
  coreHasNoCsv: true,
  scoringScores: true,
  coreHasNoKernels: true,
};

describe("packed tarball", () => {
  it("contains only dist (plus package.json, README, LICENSE), with types for every entry", async () => {
    const installed = join(app, "node_modules", "mentorflow");
    for (const name of await readdir(installed)) {
      expect(name).toMatch(
        /^(dist|package\.json|readme(\..*)?|licen[cs]e(\..*)?|third_party_notices\.md)$/i,
      );
    }
    const dist = await readdir(join(installed, "dist"));
    for (const file of ["index.js", "index.cjs", "index.d.ts", "index.d.cts"]) {
      expect(dist).toContain(file);
      expect(dist).toContain(file.replace("index", "node"));
      expect(dist).toContain(file.replace("index", "scoring"));
    }
  });

  it("installs the mentorflow executable (bin), which matches a cohort", async () => {
    const bin = join(
      app,
      "node_modules",
      ".bin",
      process.platform === "win32" ? "mentorflow.cmd" : "mentorflow",
    );
    const { stdout: version } = await run(bin, ["--version"], { cwd: app });
    const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
      version: string;
    };
    expect(version.trim()).toBe(pkg.version);
    const { stdout } = await run(
      bin,
      ["match", join(root, "examples", "data"), "--quiet", "--json", "-"],
      {
        cwd: app,
      },
    );
    expect((JSON.parse(stdout) as { status: string }).status).toBe("optimal");
  });

  it("the installed executable serves HTTP: matches the example cohort, stops on SIGTERM", async () => {
    const bin = join(app, "node_modules", "mentorflow", "dist", "cli.js");
    const server = spawn(process.execPath, [bin, "serve", "--port", "0", "--quiet"], { cwd: app });
    try {
      let stderr = "";
      const url = await new Promise<string>((resolve, reject) => {
        server.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const found = /serving on (http:\/\/[^ ]+)/.exec(stderr);
          if (found) resolve(found[1]);
        });
        server.on("exit", (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/v1/match`, {
        method: "POST",
        body: await readFile(join(root, "examples", "data", "cohort.json")),
        headers: { "content-type": "application/json" },
      });
      expect(response.status).toBe(200);
      const result = (await response.json()) as { status: string; objective: number };
      expect(result.status).toBe("optimal");
      const { stdout } = await run(
        process.execPath,
        [bin, "match", join(root, "examples", "data"), "--quiet", "--json", "-"],
        { cwd: app },
      );
      expect(result.objective).toBe(
        (JSON.parse(stdout) as { result: { objective: number } }).result.objective,
      );
    } finally {
      const exited = new Promise<number | null>((resolve) => server.on("exit", resolve));
      server.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  }, 60_000);

  it("imports mentorflow, mentorflow/scoring and mentorflow/node from ESM", async () => {
    const file = join(app, "smoke.mjs");
    await writeFile(
      file,
      smokeScript(
        'import * as core from "mentorflow";\nimport * as node from "mentorflow/node";\nimport * as scoring from "mentorflow/scoring";',
      ),
    );
    const { stdout } = await run(process.execPath, [file], { cwd: app });
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it("requires mentorflow, mentorflow/scoring and mentorflow/node from CJS", async () => {
    const file = join(app, "smoke.cjs");
    await writeFile(
      file,
      smokeScript(
        'const core = require("mentorflow");\nconst node = require("mentorflow/node");\nconst scoring = require("mentorflow/scoring");',
      ),
    );
    const { stdout } = await run(process.execPath, [file], { cwd: app });
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it("resolves the types of every entry for import and require", async () => {
    const pkg = JSON.parse(
      await readFile(join(app, "node_modules", "mentorflow", "package.json"), "utf8"),
    ) as { exports: Record<string, Record<string, { types: string; default: string }>> };
    for (const entry of [".", "./scoring", "./node"]) {
      for (const condition of ["import", "require"]) {
        const target = pkg.exports[entry][condition];
        // `types` must come first so TypeScript picks it before `default`.
        expect(Object.keys(target)[0]).toBe("types");
        for (const path of [target.types, target.default]) {
          await expect(
            readFile(join(app, "node_modules", "mentorflow", path), "utf8"),
          ).resolves.toBeTruthy();
        }
      }
    }
  });

  it("type-checks a consumer under NodeNext, from ESM and CJS, including the .d.ts files", async () => {
    const body = (load: string) => `${load}
const input: core.CohortInput = core.generateCohort({ mentees: 3, mentors: 2 });
const cohort: core.Cohort = core.parseCohort(input);
const read: node.CohortCsvRead = node.readCohortCsv({
  mentees: { text: "" },
  mentors: { text: "" },
  config: {},
});
const issues: readonly core.Issue[] = read.issues;
const load: (files: node.CohortFiles) => Promise<node.CohortCsvResult> = node.loadCohort;
const scorer: scoring.Scorer = scoring.createScorer(cohort);
export { cohort, issues, load, scorer };
`;
    await writeFile(
      join(app, "types.mts"),
      body(
        'import * as core from "mentorflow";\nimport * as node from "mentorflow/node";\nimport * as scoring from "mentorflow/scoring";',
      ),
    );
    await writeFile(
      join(app, "types.cts"),
      body(
        'import core = require("mentorflow");\nimport node = require("mentorflow/node");\nimport scoring = require("mentorflow/scoring");',
      ),
    );
    await writeFile(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ["types.mts", "types.cts"],
      }),
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", app], { cwd: app }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe("");
  });

  it("keeps the core bundle browser-safe: no node: imports, fs, process or Buffer", async () => {
    const dist = join(app, "node_modules", "mentorflow", "dist");
    for (const entry of ["index.js", "index.cjs"]) {
      // The entry and every local chunk it pulls in.
      const seen = new Set<string>();
      const queue = [entry];
      while (queue.length > 0) {
        const file = queue.pop() as string;
        if (seen.has(file)) continue;
        seen.add(file);
        const code = await readFile(join(dist, file), "utf8");
        for (const m of code.matchAll(/(?:from\s*|require\(|import\()\s*["'](\.\/[^"']+)["']/g)) {
          queue.push(join(dirname(file), m[1]));
        }
        expect(code, file).not.toMatch(/["']node:/);
        expect(code, file).not.toMatch(
          /(?:from\s*|require\(\s*)["'](fs|path|os|buffer|url|child_process)(\/[^"']*)?["']/,
        );
        expect(code, file).not.toMatch(/\bprocess\s*\.|\bglobalThis\.process\b/);
        expect(code, file).not.toMatch(/\bBuffer\s*\./);
        expect(code, file).not.toMatch(/\b__(?:filename|dirname)\b/);
      }
      expect(seen.size).toBeGreaterThan(1); // the shared chunk was scanned too
    }
    // The Node entry does use them: the scan above would catch them.
    const nodeCode = await readFile(join(dist, "node.js"), "utf8");
    expect(nodeCode).toMatch(/["']node:fs\/promises["']/);
  });
});
