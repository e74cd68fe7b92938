/**
 * The HTTP JSON service (`mentorflow serve`, docs/SERVICE.md), on fastify.
 *
 * Every request that carries a cohort is handled off the event loop: the thread serving HTTP
 * only checks its body's bytes (`checkJsonBytes`, json-body.ts: depth, long strings, `__proto__`
 * keys, UTF-8) and moves them to a worker thread (src/node/pool.ts), which parses them, reads the
 * cohort with the library's own `parseCohort` and runs the task. A large job never stalls the small ones: bodies up to `syncMaxBytes` go to a
 * pool of their own (the quick lane), larger ones to the large lane. Validations and
 * explanations are answered in the request; so are matches of small bodies, while a match of a
 * large body, or any asked for with `Prefer: respond-async`, becomes a job answered `202` and
 * polled at `/v1/jobs/{id}`.
 *
 * Errors are data: `{ error: { code, message, issues?, warnings? } }`, with the library's issue
 * codes and paths; no stack trace ever leaves the server.
 */
import { availableParallelism } from "node:os";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { BodyError, checkJsonBytes } from "../node/json-body.js";
import type { WorkerTask } from "../node/match-worker.js";
import { MatchPool, PoolFullError, WorkerMemoryError } from "../node/pool.js";
import { InputError, pathIssue } from "../schema/errors.js";
import { issuesFromZod } from "../schema/zod-issues.js";
import { JobStore, type JobEntry } from "./jobs.js";
import { openApiDocument } from "./openapi.js";
import {
  ExplainQuerySchema,
  MatchQuerySchema,
  ValidateQuerySchema,
  type ErrorDetail,
  type Job,
} from "./schemas.js";

export interface ServiceOptions {
  /** The address to listen on. Default "127.0.0.1" (this machine only). */
  readonly host?: string;
  /** The port. Default 8080; 0 picks a free one. */
  readonly port?: number;
  /** The largest request body, in MB. Default 64 (a 20,000 × 4,000 cohort is about 12 MB). */
  readonly bodyLimitMb?: number;
  /** Bodies up to this many bytes are the quick lane's, answered in the request; larger
   * matches are jobs. Default 1 MiB (about 1,700 mentees and 340 mentors). */
  readonly syncMaxBytes?: number;
  /** Threads for large bodies. Default: the machine's cores less one (at least 1); the quick
   * lane has one thread of its own. */
  readonly threads?: number;
  /** Requests that may wait in each lane for a thread; one more is answered 429. Default 16. */
  readonly maxQueue?: number;
  /** The longest a job may run, in ms: a match stops there with its best answer (status
   * time_limit), and any job is ended a little later. Default 600,000 (10 minutes). */
  readonly jobTimeLimitMs?: number;
  /** A job's heap limit in MB: over it, it fails with out_of_memory. Default 4096. */
  readonly maxMemoryMb?: number;
  /** How long a finished job's answer is kept, in ms. Default 3,600,000 (an hour). */
  readonly keepJobsMs?: number;
  /** Finished jobs kept at most (the oldest go first); a 20,000 × 4,000 result is about 5 MB.
   * Default 100. */
  readonly maxFinishedJobs?: number;
  /** Where to log each request and each server error, as JSON lines (fastify's logger): the
   * CLI gives its stderr. Default: no log. */
  readonly log?: NodeJS.WritableStream;
  /** The version the OpenAPI document gives. Default "dev". */
  readonly version?: string;
}

export const DEFAULT_SERVICE_OPTIONS = Object.freeze({
  host: "127.0.0.1",
  port: 8080,
  bodyLimitMb: 64,
  syncMaxBytes: 1024 * 1024,
  threads: Math.max(1, availableParallelism() - 1),
  maxQueue: 16,
  jobTimeLimitMs: 600_000,
  maxMemoryMb: 4096,
  keepJobsMs: 3_600_000,
  maxFinishedJobs: 100,
  log: undefined as NodeJS.WritableStream | undefined,
  version: "dev",
});

export interface Service {
  readonly app: FastifyInstance;
  /** Starts listening; resolves with the address, e.g. "http://127.0.0.1:8080". */
  listen(): Promise<string>;
  /**
   * Stops: answers 503 to new work at once, lets the jobs queued and running finish for up to
   * `graceMs` (default 30,000), then cancels what is left (their clients are answered
   * `shutting_down`), and closes the server.
   */
  close(graceMs?: number): Promise<void>;
}

/** Why a job stopped before its end (the abort's reason). */
class Stop {
  constructor(
    readonly code: "cancelled" | "time_limit_exceeded" | "shutting_down",
    readonly message: string,
  ) {}
}

/** A failure answer: the HTTP status, the body's `error`, and headers. */
interface Failure {
  readonly status: number;
  readonly error: ErrorDetail;
  readonly headers?: Record<string, string>;
}

const fail = (status: number, code: string, message: string, more?: Partial<ErrorDetail>) => ({
  status,
  error: { code, message, ...more },
});

/** The answer for an error thrown by a job or a handler. */
function failureOf(e: unknown, log: (e: unknown) => void): Failure {
  if (e instanceof QueryError)
    return fail(400, "invalid_query", "The query string has problems; see issues", {
      issues: e.issues,
    });
  if (e instanceof BodyError)
    return fail(400, "invalid_body", "The body cannot be read as a JSON request", {
      issues: e.issues,
    });
  if (e instanceof InputError)
    return fail(
      422,
      "invalid_input",
      `${e.issues.length} ${e.issues.length === 1 ? "problem" : "problems"} with the input; see issues`,
      {
        issues: e.issues,
        warnings: e.warnings,
      },
    );
  if (e instanceof PoolFullError)
    return { ...fail(429, "queue_full", e.message), headers: { "retry-after": "5" } };
  if (e instanceof WorkerMemoryError)
    return fail(
      413,
      "out_of_memory",
      `The job needed more than the ${e.maxMemoryMb} MB a job may use on this service`,
    );
  if (e instanceof Stop)
    return fail(
      e.code === "shutting_down" ? 503 : e.code === "cancelled" ? 409 : 504,
      e.code,
      e.message,
    );
  log(e);
  return fail(
    500,
    "internal_error",
    "Something went wrong on the server; it is in the server's log",
  );
}

/** An answer already in JSON text (made on a worker thread, or by the job store). */
function json(reply: FastifyReply, text: string): FastifyReply {
  return reply.type("application/json; charset=utf-8").send(text);
}

function send(reply: FastifyReply, f: Failure): FastifyReply {
  if (f.headers) reply.headers(f.headers);
  return reply.code(f.status).send({ error: f.error });
}

/** The query string has problems (as against the body): an HTTP 400. */
class QueryError extends InputError {}

/** A query string read with its schema; its issues are at `["query", name]`. */
function readQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new QueryError(issuesFromZod(parsed.error.issues, ["query"]), "query");
}

/** The pool a body goes to: its own for small bodies, so large jobs never hold them up. */
type Lane = "quick" | "large";

/** The large lane's threads yield the cores to the quick lane's and to the serving thread
 * (a nice value: on Linux, per thread; match-worker.ts). */
const LANE_NICE: Record<Lane, { nice?: number }> = { quick: {}, large: { nice: 10 } };

/** What each option must be, and the words for it. */
const OPTION_RULES: Record<string, [(x: unknown) => boolean, string]> = {
  host: [(x) => typeof x === "string" && x !== "", "an address, such as 127.0.0.1"],
  port: [
    (x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 65535,
    "a port, 0 to 65535",
  ],
  bodyLimitMb: [(x) => isNumber(x) && x > 0 && x <= 4096, "a number of MB above 0, at most 4096"],
  syncMaxBytes: [(x) => Number.isInteger(x) && (x as number) >= 0, "a whole number of bytes ≥ 0"],
  threads: [(x) => Number.isInteger(x) && (x as number) >= 1, "a whole number ≥ 1"],
  maxQueue: [(x) => Number.isInteger(x) && (x as number) >= 0, "a whole number ≥ 0"],
  jobTimeLimitMs: [(x) => isNumber(x) && x > 0 && x <= 2 ** 31 - 1, "a number of ms above 0"],
  maxMemoryMb: [(x) => isNumber(x) && x > 0, "a number of MB above 0"],
  keepJobsMs: [(x) => isNumber(x) && x >= 0, "a number of ms ≥ 0"],
  maxFinishedJobs: [(x) => Number.isInteger(x) && (x as number) >= 0, "a whole number ≥ 0"],
  log: [(x) => typeof (x as { write?: unknown })?.write === "function", "a writable stream"],
  version: [(x) => typeof x === "string", "a string"],
};

function isNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

function checkOptions(options: ServiceOptions): void {
  const issues = Object.entries(options ?? {}).flatMap(([key, value]) => {
    const rule = OPTION_RULES[key];
    if (!rule) return [pathIssue("unknown_option", [key], `Unknown option "${key}"`)];
    return value === undefined || rule[0](value)
      ? []
      : [
          pathIssue(
            "invalid_option",
            [key],
            `Expected ${rule[1]}, got ${typeof value === "object" ? "an object" : String(value)}`,
          ),
        ];
  });
  if (issues.length > 0) throw new InputError(issues, "service options");
}

export async function createService(options: ServiceOptions = {}): Promise<Service> {
  checkOptions(options);
  const o = { ...DEFAULT_SERVICE_OPTIONS, ...definedOnly(options) };
  const { default: Fastify } = await import("fastify");
  const bodyLimit = Math.round(o.bodyLimitMb * 1024 * 1024);
  const app = Fastify({
    logger: o.log === undefined ? false : { level: "info", stream: o.log },
    bodyLimit,
    // Slow senders cannot hold a connection for ever.
    requestTimeout: 120_000,
    return503OnClosing: true,
    forceCloseConnections: "idle",
    // Not used (bodies are read on the threads), set as a second line of defence.
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
  });
  const pools: Record<Lane, MatchPool> = {
    quick: new MatchPool({ size: 1, maxQueue: o.maxQueue }),
    large: new MatchPool({ size: o.threads, maxQueue: o.maxQueue }),
  };
  const jobs = new JobStore(o.keepJobsMs, o.maxFinishedJobs);
  /** Requests answered in the request, still working (to stop on close). */
  const inRequest = new Set<AbortController>();
  let closing = false;
  const logError = (e: unknown) => app.log.error(e);

  // Bodies are bytes, read on the threads; anything but JSON is 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE")
      return send(
        reply,
        fail(413, "body_too_large", `The body is over this service's limit of ${o.bodyLimitMb} MB`),
      );
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
      return send(
        reply,
        fail(
          415,
          "unsupported_media_type",
          "Send the body as JSON (Content-Type: application/json)",
        ),
      );
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
      return send(reply, fail(error.statusCode, "bad_request", error.message));
    return send(reply, failureOf(error, logError));
  });
  app.setNotFoundHandler((req, reply) =>
    send(
      reply,
      fail(
        404,
        "not_found",
        `No ${req.method} ${req.url.split("?")[0]}; /openapi.json lists the routes`,
      ),
    ),
  );

  /** The body as bytes (none: empty), checked byte by byte here (json-body.ts: cheap), or a
   * 400; the thread that takes them parses them, and reports an empty body. */
  const bodyOf = (req: FastifyRequest): Buffer => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    checkJsonBytes(body);
    return body;
  };
  const laneOf = (body: Buffer): Lane => (body.length <= o.syncMaxBytes ? "quick" : "large");
  const refuseWhenClosing = () => {
    if (closing)
      throw new Stop("shutting_down", "The service is shutting down; try another instance");
  };
  /** A hard end for any job, a little after the match's own time limit. */
  const hardLimit = (controller: AbortController) => {
    const ms = o.jobTimeLimitMs + Math.min(60_000, o.jobTimeLimitMs / 2);
    const timer = setTimeout(
      () =>
        controller.abort(
          new Stop("time_limit_exceeded", `The job ran over this service's ${ms / 1000} s`),
        ),
      ms,
    );
    timer.unref();
    return () => clearTimeout(timer);
  };

  /** A match's options from a request's: its time limit within the service's. */
  const matchOptions = (timeLimitMs: number | undefined, coverageFirst: boolean | undefined) => ({
    timeLimitMs: Math.min(timeLimitMs ?? Infinity, o.jobTimeLimitMs),
    ...(coverageFirst === undefined ? {} : { coverageFirst }),
  });

  /** Runs a task in the request, stopped when the client goes away; its answer as JSON text. */
  async function inline(reply: FastifyReply, body: Buffer, task: WorkerTask): Promise<string> {
    const controller = new AbortController();
    const gone = () => {
      if (!reply.raw.writableFinished)
        controller.abort(new Stop("cancelled", "The client went away"));
    };
    reply.raw.on("close", gone);
    inRequest.add(controller);
    const clear = hardLimit(controller);
    try {
      const lane = laneOf(body);
      return await pools[lane].run<string>(
        { input: body, json: true, text: true, task, ...LANE_NICE[lane] },
        { signal: controller.signal, maxMemoryMb: o.maxMemoryMb },
      );
    } finally {
      clear();
      inRequest.delete(controller);
      reply.raw.off("close", gone);
    }
  }

  /** Starts a match job; its state is polled at /v1/jobs/{id}. */
  function startJob(body: Buffer, task: WorkerTask, lane: Lane): { job: Job; text: string } {
    const pool = pools[lane];
    if (pool.full) throw new PoolFullError(pool.maxQueue);
    const entry: JobEntry = jobs.create();
    const clear = hardLimit(entry.controller);
    pool
      .run<string>(
        { input: body, json: true, text: true, task, ...LANE_NICE[lane] },
        {
          signal: entry.controller.signal,
          maxMemoryMb: o.maxMemoryMb,
          onStart: () => jobs.started(entry),
          onParsed: (size) => (entry.job.size = size),
          onProgress: (p) => jobs.progress(entry, p),
        },
      )
      .then(
        (result) => jobs.done(entry, result),
        (e: unknown) =>
          jobs.failed(
            entry,
            failureOf(e, logError).error,
            e instanceof Stop && e.code !== "time_limit_exceeded",
          ),
      )
      .finally(clear);
    return jobs.get(entry.job.id)!;
  }

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const running = pools.quick.running + pools.large.running;
    const queued = pools.quick.queued + pools.large.queued;
    const status = closing ? "closing" : pools.quick.full && pools.large.full ? "busy" : "ready";
    return reply.code(status === "ready" ? 200 : 503).send({ status, running, queued });
  });
  const document = openApiDocument(o.version);
  app.get("/openapi.json", async () => document);

  app.post("/v1/validate", async (req, reply) => {
    readQuery(ValidateQuerySchema, req.query);
    refuseWhenClosing();
    try {
      return json(reply, await inline(reply, bodyOf(req), { kind: "validate" }));
    } catch (e) {
      // An invalid cohort is validate's answer, not a failure.
      if (e instanceof InputError && !(e instanceof BodyError))
        return { ok: false, issues: e.issues, warnings: e.warnings };
      throw e;
    }
  });

  app.post("/v1/explain", async (req, reply) => {
    const { mentee, mentor, whyNot, coverageFirst } = readQuery(ExplainQuerySchema, req.query);
    refuseWhenClosing();
    const task: WorkerTask = {
      kind: "explain",
      mentee,
      mentor,
      ...(whyNot === true ? { whyNot: matchOptions(undefined, coverageFirst) } : {}),
    };
    return json(reply, await inline(reply, bodyOf(req), task));
  });

  app.post("/v1/match", async (req, reply) => {
    const query = readQuery(MatchQuerySchema, req.query);
    refuseWhenClosing();
    const body = bodyOf(req);
    const task: WorkerTask = {
      kind: "match",
      options: matchOptions(query.timeLimitMs, query.coverageFirst),
    };
    const lane = laneOf(body);
    const wantsAsync = /\brespond-async\b/i.test(String(req.headers.prefer ?? ""));
    if (lane === "quick" && !wantsAsync) return json(reply, await inline(reply, body, task));
    const { job, text } = startJob(body, task, lane);
    reply.code(202).header("location", `/v1/jobs/${job.id}`);
    if (wantsAsync) reply.header("preference-applied", "respond-async");
    return json(reply, text);
  });

  app.get<{ Params: { id: string } }>("/v1/jobs/:id", async (req, reply) => {
    const found = jobs.get(req.params.id);
    if (!found)
      return send(reply, fail(404, "not_found", `No job ${req.params.id} (unknown, or expired)`));
    if (found.job.state === "queued" || found.job.state === "running")
      reply.header("retry-after", "1");
    return json(reply, found.text);
  });

  app.delete<{ Params: { id: string } }>("/v1/jobs/:id", async (req, reply) => {
    const stopped = jobs.cancel(req.params.id, new Stop("cancelled", "Cancelled by a client"));
    if (!stopped)
      return send(reply, fail(404, "not_found", `No job ${req.params.id} (unknown, or expired)`));
    return json(reply, jobs.get(req.params.id)!.text);
  });

  return {
    app,
    async listen() {
      return app.listen({ host: o.host, port: o.port });
    },
    async close(graceMs = 30_000) {
      closing = true;
      const busy = () =>
        pools.quick.running + pools.quick.queued + pools.large.running + pools.large.queued;
      const until = Date.now() + graceMs;
      while (busy() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      const stop = new Stop("shutting_down", "The service shut down before the job finished");
      jobs.cancelAll(stop);
      for (const c of inRequest) c.abort(stop);
      await app.close();
      await Promise.all([pools.quick.close(), pools.large.close()]);
    },
  };
}

/** The options given, without those set to undefined (which would hide the defaults). */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
