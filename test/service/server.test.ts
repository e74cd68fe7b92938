/**
 * The HTTP service, tested as a client would use it: the real server on a loopback port, called
 * with a real HTTP client (fetch). Answers are compared with the library's own (`match`,
 * `safeParseCohort`, `explainPair`), and checked against the schemas the OpenAPI document
 * publishes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { getPriority as osPriority } from "node:os";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cohortJsonSchema,
  explainPair,
  generateCohort,
  match,
  parseCohort,
  safeParseCohort,
  whyNot,
  type MatchResult,
} from "../../src/index.js";
import { reasonDetail } from "../../src/match/explain.js";
import { InputError } from "../../src/schema/errors.js";
import { readCohortInputFromFiles } from "../../src/node/files.js";
import { createService, type Service, type ServiceOptions } from "../../src/service/server.js";
import {
  ErrorBodySchema,
  HealthSchema,
  JobSchema,
  ValidateAnswerSchema,
} from "../../src/service/schemas.js";
import { timeless } from "../support/results.js";

const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const services: Service[] = [];
async function start(options: ServiceOptions = {}): Promise<string> {
  const service = await createService({ port: 0, ...options });
  services.push(service);
  return service.listen();
}
afterAll(async () => {
  await Promise.all(services.map((s) => s.close(0)));
});

const post = (base: string, path: string, body: string | Uint8Array, headers = {}) =>
  fetch(`${base}${path}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });

/** The error body of a failure, checked against its published schema. */
async function errorOf(
  response: Response,
): Promise<{ code: string; issues?: { code: string; location: unknown }[] }> {
  return ErrorBodySchema.parse(await response.json()).error;
}

async function until(base: string, id: string, done: (job: { state: string }) => boolean) {
  for (;;) {
    const job = JobSchema.parse(await (await fetch(`${base}/v1/jobs/${id}`)).json());
    if (done(job)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves once the service at `url` runs a job. */
async function busy(url: string) {
  while (HealthSchema.parse(await (await fetch(`${url}/readyz`)).json()).running === 0)
    await new Promise((r) => setTimeout(r, 5));
}

const small = generateCohort({ mentees: 120, mentors: 30, seed: 4 });
const smallText = JSON.stringify(small);

let base: string;
beforeAll(async () => {
  // Bodies over 200 KiB are jobs here (the small cohort is about 70 KB: a job when asked).
  base = await start({ syncMaxBytes: 200 * 1024, threads: 1, maxQueue: 4 });
}, 30_000);

describe("POST /v1/match", () => {
  it("answers match's own result, for plain and equity-ruled cohorts", async () => {
    for (const [seed, equity] of [
      [2, false],
      [5, true],
    ] as const) {
      const input = generateCohort({ mentees: 150, mentors: 40, seed, equity });
      const response = await post(base, "/v1/match", JSON.stringify(input));
      expect(response.status).toBe(200);
      const got = (await response.json()) as MatchResult;
      expect(timeless(got)).toEqual(plain(timeless(match(parseCohort(input)))));
    }
  }, 60_000);

  it("reads the query: coverageFirst and a time limit", async () => {
    const input = generateCohort({ mentees: 150, mentors: 40, seed: 3 });
    const response = await post(base, "/v1/match?coverageFirst=true", JSON.stringify(input));
    const got = (await response.json()) as MatchResult;
    expect(timeless(got)).toEqual(
      plain(timeless(match(parseCohort(input), { coverageFirst: true }))),
    );
    const bad = await post(base, "/v1/match?timeLimitMs=soon&colour=red", smallText);
    expect(bad.status).toBe(400);
    const error = await errorOf(bad);
    expect(error.code).toBe("invalid_query");
    expect(error.issues!.map((i) => [i.code, i.location])).toEqual(
      expect.arrayContaining([
        ["unrecognized_key", { kind: "path", path: ["query", "colour"] }],
        [expect.any(String), { kind: "path", path: ["query", "timeLimitMs"] }],
      ]),
    );
  }, 30_000);

  it("an invalid cohort is a 422 with every issue, as parseCohort reports them", async () => {
    const input = structuredClone(small) as unknown as {
      mentees: { id: string; level: unknown }[];
    };
    input.mentees[0].level = "senior";
    input.mentees[1].id = input.mentees[2].id;
    const expected = safeParseCohort(input);
    expect(expected.ok).toBe(false);
    const response = await post(base, "/v1/match", JSON.stringify(input));
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe("invalid_input");
    expect(error.issues).toEqual(plain(!expected.ok && expected.issues));
  });

  it("Prefer: respond-async is a 202 job, polled to match's result", async () => {
    const response = await post(base, "/v1/match", smallText, { prefer: "respond-async" });
    expect(response.status).toBe(202);
    expect(response.headers.get("preference-applied")).toBe("respond-async");
    const location = response.headers.get("location")!;
    const job = JobSchema.parse(await response.json());
    expect(location).toBe(`/v1/jobs/${job.id}`);
    const done = await until(base, job.id, (j) => j.state === "done");
    expect(done.size).toEqual({ mentees: 120, mentors: 30 });
    expect(done.startedAt! >= done.createdAt && done.finishedAt! >= done.startedAt!).toBe(true);
    expect(timeless(done.result as unknown as MatchResult)).toEqual(
      plain(timeless(match(parseCohort(small)))),
    );
  }, 30_000);

  it("a body over syncMaxBytes is a job; an invalid one fails with its issues", async () => {
    const big = generateCohort({ mentees: 400, mentors: 90, seed: 8 });
    const text = JSON.stringify(big);
    expect(text.length).toBeGreaterThan(200 * 1024);
    const response = await post(base, "/v1/match", text);
    expect(response.status).toBe(202);
    const job = await until(base, JobSchema.parse(await response.json()).id, (j) =>
      ["done", "failed"].includes(j.state),
    );
    expect(job.state).toBe("done");
    expect(job.result!.status).toBe("optimal");

    const broken = text.replace('"mentees":[{', '"mentees":[{"colour":1,');
    const failed = await until(
      base,
      JobSchema.parse(await (await post(base, "/v1/match", broken)).json()).id,
      (j) => j.state !== "queued" && j.state !== "running",
    );
    expect(failed.state).toBe("failed");
    expect(failed.error!.code).toBe("invalid_input");
    expect(failed.error!.issues![0].location).toEqual({
      kind: "path",
      path: ["mentees", 0, "colour"],
    });
  }, 30_000);
});

describe("POST /v1/validate and /v1/explain", () => {
  it("validate answers ok with the size, or every issue", async () => {
    const ok = await post(base, "/v1/validate", smallText);
    expect(ValidateAnswerSchema.parse(await ok.json())).toEqual({
      ok: true,
      mentees: 120,
      mentors: 30,
    });
    const input = structuredClone(small) as unknown as { mentors: { capacity: unknown }[] };
    input.mentors[3].capacity = -2;
    const expected = safeParseCohort(input);
    const bad = await post(base, "/v1/validate", JSON.stringify(input));
    expect(bad.status).toBe(200);
    expect(ValidateAnswerSchema.parse(await bad.json())).toEqual({
      ok: false,
      issues: plain(!expected.ok && expected.issues),
      warnings: [],
    });
  });

  it("explain gives explainPair's answer and the failing rule in words", async () => {
    const cohort = parseCohort(small);
    for (const [mentee, mentor] of [
      ["e001", "m001"],
      ["e007", "m012"],
    ]) {
      const response = await post(base, `/v1/explain?mentee=${mentee}&mentor=${mentor}`, smallText);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(
        plain({
          explanation: explainPair(cohort, mentee, mentor),
          detail: explainPair(cohort, mentee, mentor).eligible
            ? null
            : reasonDetail(cohort, mentee, mentor),
        }),
      );
    }
    // whyNot: the library's counterfactual against the match, for a pair eligible but not chosen.
    const plainInput = generateCohort({ mentees: 120, mentors: 30, seed: 4, equity: false });
    const plainCohort = parseCohort(plainInput);
    const answer = match(plainCohort);
    const chosen = new Set(answer.pairs.map((p) => `${p.mentee} ${p.mentor}`));
    const [mentee, mentor] = plainCohort.index.menteeIds
      .flatMap((e) => plainCohort.index.mentorIds.map((m) => [e, m]))
      .find(([e, m]) => !chosen.has(`${e} ${m}`) && explainPair(plainCohort, e, m).eligible)!;
    const why = await post(
      base,
      `/v1/explain?mentee=${mentee}&mentor=${mentor}&whyNot=true`,
      JSON.stringify(plainInput),
    );
    expect(why.status).toBe(200);
    const { whyNot: got } = (await why.json()) as { whyNot: { forced: { timeMs: number } } };
    const c = whyNot(plainCohort, answer, mentee, mentor);
    expect(got.forced.timeMs).toBeGreaterThanOrEqual(0);
    expect({ ...got, forced: { ...got.forced, timeMs: 0 } }).toEqual(
      plain({
        paired: c.paired,
        mentorLoad: c.mentorLoad,
        mentorCapacity: c.mentorCapacity,
        mentorMentees: c.mentorMentees,
        forced: { ...c.forced!, timeMs: 0 },
      }),
    );
    // With equity rules across mentors, the library refuses: so does the service, saying why.
    const refused = await post(base, "/v1/explain?mentee=e001&mentor=m001&whyNot=true", smallText);
    expect(refused.status).toBe(422);

    const unknown = await post(base, "/v1/explain?mentee=nobody&mentor=m001", smallText);
    expect(unknown.status).toBe(422);
    expect((await errorOf(unknown)).issues!.map((i) => i.code)).toEqual(["unknown_mentee"]);
    const missing = await post(base, "/v1/explain?mentee=e001", smallText);
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).issues![0].location).toEqual({
      kind: "path",
      path: ["query", "mentor"],
    });
  });
});

describe("jobs", () => {
  it("DELETE cancels a running job; unknown ids are 404", async () => {
    const text = JSON.stringify(generateCohort({ mentees: 6000, mentors: 1200, seed: 2 }));
    const response = await post(base, "/v1/match", text);
    const { id } = JobSchema.parse(await response.json());
    const cancelled = await fetch(`${base}/v1/jobs/${id}`, { method: "DELETE" });
    expect(cancelled.status).toBe(200);
    const job = JobSchema.parse(await cancelled.json());
    expect(job.state).toBe("cancelled");
    expect(job.error!.code).toBe("cancelled");
    expect((await until(base, id, () => true)).state).toBe("cancelled");
    // The thread was ended: the service is idle again at once.
    const ready = HealthSchema.parse(await (await fetch(`${base}/readyz`)).json());
    expect(ready).toEqual({ status: "ready", running: 0, queued: 0 });
    for (const method of ["GET", "DELETE"]) {
      const none = await fetch(`${base}/v1/jobs/no-such-job`, { method });
      expect(none.status).toBe(404);
      expect((await errorOf(none)).code).toBe("not_found");
    }
  }, 30_000);

  it("a client that goes away stops its request's work", async () => {
    // Answered in the request (a lane for bodies this size), a match of about 20 s here.
    const url = await start({ syncMaxBytes: 64 * 1024 * 1024 });
    const text = JSON.stringify(generateCohort({ mentees: 20000, mentors: 4000, seed: 1 }));
    const client = new AbortController();
    const sent = fetch(`${url}/v1/match`, {
      method: "POST",
      body: text,
      headers: { "content-type": "application/json" },
      signal: client.signal,
    }).catch((e: Error) => e.name);
    await busy(url);
    client.abort();
    expect(await sent).toBe("AbortError");
    // Its thread is ended at once: the lane is idle long before the match could have ended
    // (the test's own time limit is what fails it otherwise).
    while ((HealthSchema.parse(await (await fetch(`${url}/readyz`)).json()).running ?? 0) > 0)
      await new Promise((r) => setTimeout(r, 10));
  }, 10_000);

  it.skipIf(process.platform !== "linux")(
    "on Linux the large lane's thread runs at nice 10, the quick lane's and this one at 0",
    async () => {
      const niceOf = () =>
        readdirSync("/proc/self/task").map((tid) => {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
          return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
        });
      const before = niceOf().filter((n) => n === 10).length;
      const url = await start({ syncMaxBytes: 1024 });
      const job = JobSchema.parse(await (await post(url, "/v1/match", smallText)).json());
      await until(url, job.id, (j) => j.state === "done");
      expect((await post(url, "/v1/validate", "{}")).status).toBe(200); // the quick lane
      // The finished job's thread stays warm, at its nice value; no other thread changed.
      expect(niceOf().filter((n) => n === 10).length).toBe(before + 1);
      expect(osPriority()).toBe(0);
    },
    30_000,
  );

  it("a full queue answers 429 with Retry-After; the quick lane still answers", async () => {
    const url = await start({ syncMaxBytes: 1024, threads: 1, maxQueue: 0 });
    const text = JSON.stringify(generateCohort({ mentees: 6000, mentors: 1200, seed: 3 }));
    const first = await post(url, "/v1/match", text);
    expect(first.status).toBe(202);
    const second = await post(url, "/v1/match", text);
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("5");
    expect((await errorOf(second)).code).toBe("queue_full");
    const id = JobSchema.parse(await first.json()).id;
    await fetch(`${url}/v1/jobs/${id}`, { method: "DELETE" });
  }, 30_000);

  it("a job over the service's time limit is ended and says so", async () => {
    // The parse of this body alone takes far longer than 20 ms (+ 10 ms grace).
    const url = await start({ syncMaxBytes: 1024, jobTimeLimitMs: 20 });
    const text = JSON.stringify(generateCohort({ mentees: 5000, mentors: 1000, seed: 1 }));
    const { id } = JobSchema.parse(await (await post(url, "/v1/match", text)).json());
    const job = await until(url, id, (j) => j.state !== "queued" && j.state !== "running");
    expect(job.state).toBe("failed");
    expect(job.error!.code).toBe("time_limit_exceeded");
  }, 30_000);

  it("a job over its memory cap fails with out_of_memory; the service goes on", async () => {
    const url = await start({ maxMemoryMb: 16 });
    const text = JSON.stringify(generateCohort({ mentees: 8000, mentors: 1600, seed: 1 }));
    const response = await post(url, "/v1/match", text, { prefer: "respond-async" });
    const { id } = JobSchema.parse(await response.json());
    const job = await until(url, id, (j) => j.state !== "queued" && j.state !== "running");
    expect(job.state).toBe("failed");
    expect(job.error!.code).toBe("out_of_memory");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 60_000);
});

describe("hostile and malformed requests", () => {
  const cases: [string, string | Uint8Array, number, string, string?][] = [
    ["deep nesting", "[".repeat(200_000) + "]".repeat(200_000), 400, "invalid_body", "too_deep"],
    [
      "a huge string",
      JSON.stringify({ ...small, program: { name: "x".repeat(200_000) } }),
      400,
      "invalid_body",
      "too_big",
    ],
    [
      "a __proto__ key",
      '{"mentees":[{"__proto__":{"admin":true}}]}',
      400,
      "invalid_body",
      "forbidden_key",
    ],
    [
      "constructor.prototype",
      '{"program":{"constructor":{"prototype":{"x":1}}}}',
      400,
      "invalid_body",
      "forbidden_key",
    ],
    ["malformed JSON", '{"mentees": [', 400, "invalid_body", "invalid_json"],
    ["an empty body", "", 400, "invalid_body", "invalid_json"],
    [
      "bytes that are not UTF-8",
      new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      400,
      "invalid_body",
      "invalid_utf8",
    ],
    ["JSON that is not a cohort", "[1, 2, 3]", 422, "invalid_input"],
  ];
  for (const [what, body, status, code, issue] of cases)
    it(`${what}: ${status} ${code}`, async () => {
      for (const route of ["/v1/match", "/v1/validate"]) {
        const response = await post(base, route, body);
        if (route === "/v1/validate" && status === 422) {
          expect(response.status).toBe(200); // validate's answer: not ok, with the issues
          continue;
        }
        expect(response.status).toBe(status);
        const error = await errorOf(response);
        expect(error.code).toBe(code);
        if (issue) expect(error.issues![0].code).toBe(issue);
      }
    });

  it("a forbidden key is refused at its line, or at its path when written escaped", async () => {
    const written = await post(base, "/v1/match", '{"mentees":[{"id":"a"},\n{"__proto__":{}}]}');
    expect((await errorOf(written)).issues).toEqual([
      expect.objectContaining({
        code: "forbidden_key",
        location: { kind: "csv", file: "body", row: 2 },
      }),
    ]);
    const escaped = await post(
      base,
      "/v1/match",
      '{"mentees":[{"id":"a"},{"\\u005f_proto__":{}}]}',
    );
    expect((await errorOf(escaped)).issues).toEqual([
      expect.objectContaining({
        code: "forbidden_key",
        location: { kind: "path", path: ["mentees", 1, "__proto__"] },
      }),
    ]);
  });

  it("an oversized body is 413, another media type 415, an unknown route 404", async () => {
    const url = await start({ bodyLimitMb: 0.25 });
    const big = await post(
      url,
      "/v1/match",
      JSON.stringify(generateCohort({ mentees: 600, mentors: 100 })),
    );
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe("body_too_large");
    const text = await fetch(`${url}/v1/match`, {
      method: "POST",
      body: "mentees",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect((await errorOf(text)).code).toBe("unsupported_media_type");
    const none = await fetch(`${url}/v2/match`, { method: "POST" });
    expect(none.status).toBe(404);
    expect((await errorOf(none)).code).toBe("not_found");
  });

  it("never sends a stack trace, and keeps serving", async () => {
    const response = await post(base, "/v1/match", "{".repeat(100));
    expect(await response.text()).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("health, OpenAPI, shutdown", () => {
  it("serves health, readiness and an OpenAPI document built from the published schema", async () => {
    expect(HealthSchema.parse(await (await fetch(`${base}/healthz`)).json())).toEqual({
      status: "ok",
    });
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    const { $schema: _, ...cohort } = cohortJsonSchema();
    expect(doc.components.schemas.CohortInput).toEqual(cohort);
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["/healthz", "/readyz", "/v1/explain", "/v1/jobs/{id}", "/v1/match", "/v1/validate"].sort(),
    );
    expect(doc.paths["/v1/match"].post.parameters!.map((p) => p.name)).toEqual([
      "timeLimitMs",
      "coverageFirst",
      "Prefer",
    ]);
    expect(doc.paths["/v1/explain"].post.parameters!.map((p) => p.name)).toEqual([
      "mentee",
      "mentor",
      "whyNot",
      "coverageFirst",
    ]);
  });

  it("close lets a running request finish within the grace, then refuses new work", async () => {
    const service = await createService({ port: 0 });
    const url = await service.listen();
    const input = generateCohort({ mentees: 300, mentors: 60, seed: 6, equity: false });
    const running = post(url, "/v1/match", JSON.stringify(input));
    await busy(url);
    const closed = service.close(20_000);
    const late = await post(url, "/v1/match", smallText).catch(() => null);
    if (late) expect([503]).toContain(late.status);
    const response = await running;
    expect(response.status).toBe(200);
    expect(((await response.json()) as MatchResult).status).toBe("optimal");
    await closed;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  }, 30_000);

  it("close without grace cancels the work in flight: its client is told shutting_down", async () => {
    const service = await createService({ port: 0 });
    const url = await service.listen();
    const input = generateCohort({ mentees: 1500, mentors: 300, seed: 6 });
    const running = post(url, "/v1/match", JSON.stringify(input));
    await busy(url);
    await service.close(0);
    const response = await running;
    expect(response.status).toBe(503);
    expect((await errorOf(response)).code).toBe("shutting_down");
  }, 30_000);
});

describe("service options", () => {
  it("are checked all at once, each at its name", async () => {
    const error = await createService({
      port: -1,
      threads: 0,
      log: "stderr",
      colour: "red",
    } as unknown as ServiceOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((i) => [i.code, i.location])).toEqual([
      ["invalid_option", { kind: "path", path: ["port"] }],
      ["invalid_option", { kind: "path", path: ["threads"] }],
      ["invalid_option", { kind: "path", path: ["log"] }],
      ["unknown_option", { kind: "path", path: ["colour"] }],
    ]);
  });

  it("log writes one JSON line per request to the stream given", async () => {
    const lines: string[] = [];
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const url = await start({ log });
    await fetch(`${url}/healthz`);
    const entries = lines.map(
      (l) => JSON.parse(l) as { msg: string; res?: { statusCode: number } },
    );
    expect(entries.some((e) => e.msg === "request completed" && e.res?.statusCode === 200)).toBe(
      true,
    );
  });
});

describe("the bundled example cohort as JSON", () => {
  it("examples/data/cohort.json is the example CSV cohort, as the CSV reader reads it", async () => {
    const dir = new URL("../../examples/data/", import.meta.url).pathname;
    const read = await readCohortInputFromFiles({
      mentees: `${dir}mentees.csv`,
      mentors: `${dir}mentors.csv`,
      config: `${dir}config.json`,
    });
    expect(JSON.parse(await readFile(`${dir}cohort.json`, "utf8"))).toEqual(plain(read.input));
  });
});
