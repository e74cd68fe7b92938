/**
 * Runs the `mentorflow` executable as a user does: built once with tsup (the settings of the
 * package's CLI build) into a temporary folder, then spawned with `node` per call. The repository's `dist/`
 * is never read or written.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, expect } from "vitest";
import { unescapeFormula } from "../../src/node/csv-format.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Builds the CLI into a temporary folder under `.cache/` (gitignored; inside the repository so
 * that its dependencies resolve from `node_modules`); returns the path of cli.js and a cleanup. */
export async function buildCli(): Promise<{ cli: string; cleanup: () => Promise<void> }> {
  await mkdir(join(root, ".cache"), { recursive: true });
  const out = await mkdtemp(join(root, ".cache", "cli-test-"));
  await build({
    entry: { cli: join(root, "src/cli/bin.ts") },
    format: ["esm"],
    platform: "node",
    target: "es2022",
    outDir: out,
    silent: true,
    config: false,
    define: { __MENTORFLOW_VERSION__: JSON.stringify("test") },
    external: [/^node:/],
  });
  return { cli: join(out, "cli.js"), cleanup: () => rm(out, { recursive: true, force: true }) };
}

/** Spawns `node cli.js …args` and resolves with its exit code and output (never rejects on a
 * non-zero exit). */
export function spawnCli(
  cli: string,
  args: readonly string[],
  options: { cwd?: string; input?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      {
        cwd: options.cwd ?? root,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, FORCE_COLOR: "0" },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? "");
  });
}

/**
 * A spawned-CLI test file's setup: the CLI built once before its tests and a scratch folder,
 * both removed after them. `mf(...args)` runs the CLI; `path(...parts)` names a file in the
 * scratch folder.
 */
export function useCli(name: string): {
  mf: (...args: string[]) => Promise<Run>;
  path: (...parts: string[]) => string;
  /** The built cli.js (after the file's `beforeAll`). */
  cli: () => string;
} {
  let cli = "";
  let cleanup: (() => Promise<void>) | undefined;
  let work = "";
  beforeAll(async () => {
    ({ cli, cleanup } = await buildCli());
    work = await mkdtemp(join(tmpdir(), `mentorflow-${name}-test-`));
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
    if (work) await rm(work, { recursive: true, force: true });
  });
  return {
    mf: (...args) => spawnCli(cli, args),
    path: (...parts) => join(work, ...parts),
    cli: () => cli,
  };
}

/** Reads a results CSV with the project's reader rules (a byte order mark for Excel first;
 * csv-parse, then one leading `'` off each cell). */
export function readResultCsv(text: string): string[][] {
  expect(text.startsWith("\uFEFF"), "a byte order mark for Excel").toBe(true);
  return (parse(text, { bom: true, relax_column_count: false }) as string[][]).map((row) =>
    row.map(unescapeFormula),
  );
}
