/**
 * examples/hr-cohort.ts on the public IBM HR sample in ../shared/testdata/hr (read in place, never
 * copied). Skipped, with a message, where that folder is absent.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import {
  HR_CSV,
  hrCohortInput,
  programRole,
  readEmployees,
  summarize,
  type Employee,
} from "../../examples/hr-cohort.js";
import { explainPair, match, parseCohort, type CohortInput } from "../../src/index.js";
import { cohortFilesIn, loadCohort, writeCohortFiles } from "../../src/node/index.js";

const present = existsSync(HR_CSV);
if (!present)
  console.warn(
    `skipping test/examples/hr-cohort.test.ts: ${HR_CSV} is absent (../shared/testdata/hr)`,
  );

const FILES = ["mentees.csv", "mentors.csv", "config.json"] as const;
const run = promisify(execFile);
const script = path.resolve(import.meta.dirname, "../../examples/hr-cohort.ts");
const tsx = path.resolve(import.meta.dirname, "../../node_modules/.bin/tsx");

describe.skipIf(!present)("examples/hr-cohort.ts on the IBM HR sample", () => {
  let employees: Employee[];
  let input: CohortInput;
  let dir: string;

  beforeAll(async () => {
    employees = readEmployees();
    input = hrCohortInput(employees);
    dir = await mkdtemp(path.join(tmpdir(), "mentorflow-hr-"));
    await writeCohortFiles(input, path.join(dir, "a"));
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("writes a cohort that loadCohort accepts without warnings", async () => {
    const { cohort, warnings } = await loadCohort(cohortFilesIn(path.join(dir, "a")));
    expect(warnings).toEqual([]);
    expect(cohort.index.menteeIds.length).toBe(input.mentees.length);
    expect(cohort.index.mentorIds.length).toBe(input.mentors.length);
  });

  it("has the counts examples/README.md documents", () => {
    expect(employees.length).toBe(1470);
    expect(employees.filter((e) => e.left).length).toBe(237);
    expect(summarize(input)).toEqual({
      mentees: 789,
      menteesByLevel: { 1: 386, 2: 403 },
      mentors: 419,
      tiers: { peer: { mentors: 254, seats: 440 }, senior: { mentors: 165, seats: 431 } },
      seniorUntrained: 78,
      seniorShortTenure: 5,
    });
  });

  it("places people by the documented rules: leavers out, levels 1–2 mentees, 3 and top-rated 2 peers, 4–5 seniors", () => {
    const byId = new Map(employees.map((e) => [e.id, e]));
    for (const m of input.mentees) {
      const e = byId.get(m.id)!;
      expect(e.left).toBe(false);
      expect(e.jobLevel).toBeLessThanOrEqual(2);
      expect(e.yearsAtCompany).toBeGreaterThanOrEqual(1);
      expect(e.jobLevel === 2 && e.performanceRating === 4 && e.yearsAtCompany >= 2).toBe(false);
    }
    for (const m of input.mentors) {
      const e = byId.get(m.id)!;
      expect(e.left).toBe(false);
      expect(m.tier).toBe(e.jobLevel >= 4 ? "senior" : "peer");
      expect((m.training ?? []).length > 0).toBe(e.trainingTimesLastYear >= 3);
    }
    expect(new Set([...input.mentees, ...input.mentors].map((p) => p.id)).size).toBe(
      employees.filter((e) => programRole(e) !== null).length,
    );
  });

  it("puts gender and age only in group: columns, and changing them leaves every fit unchanged", async () => {
    for (const file of ["mentees.csv", "mentors.csv"]) {
      const text = await readFile(path.join(dir, "a", file), "utf8");
      const [header, ...rows] = parse(text) as string[][];
      const gender = header.indexOf("group:gender");
      expect(gender).toBeGreaterThanOrEqual(0);
      expect(header.filter((h) => /^group:/.test(h))).toEqual(["group:age-band", "group:gender"]);
      expect(header.filter((h) => /gender|\bage\b/i.test(h) && !/^group:/.test(h))).toEqual([]);
      // No other column carries the gender labels.
      for (let c = 0; c < header.length; c++)
        if (c !== gender) expect(rows.some((r) => /^(female|male)$/.test(r[c]))).toBe(false);
    }
    const swap = (s: Record<string, string> | undefined) => ({
      gender: s!.gender === "female" ? "male" : "female",
      "age-band": "18-29",
    });
    const swapped: CohortInput = {
      ...input,
      mentees: input.mentees.map((m) => ({ ...m, sensitive: swap(m.sensitive) })),
      mentors: input.mentors.map((m) => ({ ...m, sensitive: swap(m.sensitive) })),
    };
    const a = parseCohort(input);
    const b = parseCohort(swapped);
    const { menteeIds, mentorIds } = a.index;
    for (let i = 0; i < menteeIds.length; i += 53)
      for (let j = i % 7; j < mentorIds.length; j += 17) {
        const x = explainPair(a, menteeIds[i], mentorIds[j]);
        const y = explainPair(b, menteeIds[i], mentorIds[j]);
        expect([y.total, y.eligible]).toEqual([x.total, x.eligible]);
      }
  });

  it("is deterministic: the script gives the same bytes as the functions did in this process", async () => {
    await run(tsx, [script, "--out", path.join(dir, "b")], { timeout: 60_000 });
    for (const f of FILES) {
      const a = await readFile(path.join(dir, "a", f));
      expect((await readFile(path.join(dir, "b", f))).equals(a)).toBe(true);
    }
  });

  it("matches in seconds; every senior mentor without mentor-basics stays idle", () => {
    const cohort = parseCohort(input);
    const result = match(cohort);
    expect(result.status === "optimal" || result.status === "feasible").toBe(true);
    if (result.status !== "optimal" && result.status !== "feasible") return;
    expect(new Set(result.pairs.map((p) => p.mentee)).size).toBe(654);
    expect(result.equity.every((r) => r.enforced)).toBe(true);
    const untrained = new Set(
      input.mentors.filter((m) => m.tier === "senior" && m.training!.length === 0).map((m) => m.id),
    );
    expect(untrained.size).toBe(78);
    for (const m of result.mentors) if (untrained.has(m.mentor)) expect(m.load).toBe(0);
  });
});

describe("examples/hr-cohort.ts without the export", () => {
  it("stops with exit code 1 and a clear message when the export is absent", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mentorflow-hr-"));
    const missing = path.join(dir, "no-such-export.csv");
    const error = await run(tsx, [script, "--data", missing, "--out", path.join(dir, "d")]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain(`Cannot read the HR export ${missing}: not found`);
    expect(existsSync(path.join(dir, "d"))).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});
