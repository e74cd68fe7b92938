/**
 * A worker thread of `matchInWorker` and `MatchPool` (pool.ts): for each job it is sent, reads
 * the cohort input (plain data, or the checked bytes of a JSON document: json-body.ts), parses it with
 * the library's own `parseCohort`, says so with its size, and runs the job's task on it — a
 * match (with progress: at most every `PROGRESS_EVERY_MS`, at each change of phase, and each
 * phase's last update), a validation, or one pair's explanation — posting the answer, or the
 * input's issues, or the error, as plain messages (`WorkerMessage`). One job at a time; the pool
 * keeps the thread warm for the next job, and ends it to stop a job.
 */
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { parseCohort } from "../cohort/parse.js";
import { whyNot, type Counterfactual } from "../lifecycle/counterfactual.js";
import { checkPlainRules } from "../lifecycle/warm.js";
import { explainPair, reasonDetail, type PairExplanation } from "../match/explain.js";
import { match } from "../match/match.js";
import type { MatchOptions } from "../match/types.js";
import { InputError, type Issue } from "../schema/errors.js";
import type { SolveProgress } from "../solve/types.js";
import { BodyError, parseCheckedJson } from "./json-body.js";

/** What a job does with the cohort once parsed. */
export type WorkerTask =
  | { readonly kind: "match"; readonly options: Omit<MatchOptions, "signal" | "onProgress"> }
  | { readonly kind: "validate" }
  | {
      readonly kind: "explain";
      readonly mentee: string;
      readonly mentor: string;
      /** Also match the cohort (with these options) and say why the pair is or is not in the
       * answer (`whyNot`). */
      readonly whyNot?: Omit<MatchOptions, "signal" | "onProgress">;
    };

/** The answer of a validation: the cohort's size. */
export interface ValidateAnswer {
  readonly ok: true;
  readonly mentees: number;
  readonly mentors: number;
}

/** The answer of an explanation: the pair's fit taken apart, and why it is not eligible. */
export interface ExplainAnswer {
  readonly explanation: PairExplanation;
  /** With `whyNot`: the pair in the match — paired or not, the mentor's load and mentees, and
   * for an eligible pair not chosen the exact cost of forcing it (`Counterfactual`). */
  readonly whyNot?: Omit<Counterfactual, "mentee" | "mentor" | "explanation" | "ruleDetail">;
  /** For a pair not eligible, the facts behind its first failing rule in words (null when the
   * rule's name says it all, and for an eligible pair). */
  readonly detail: string | null;
}

/** A job the thread is sent. */
export interface MatchJob {
  /** The cohort input: plain data, or (with `json`) the bytes of a JSON document that
   * `checkJsonBytes` has passed (json-body.ts). */
  readonly input: unknown;
  readonly json: boolean;
  /** Post the answer as JSON text (a string crosses to the other thread far cheaper than the
   * objects, and is sent as it is). */
  readonly text?: boolean;
  readonly task: WorkerTask;
  /** Post progress messages. */
  readonly progress: boolean;
  /** On Linux, where a thread has a scheduling priority of its own, run at this nice value
   * (e.g. 10: yield the cores to threads with work that must answer quickly). Elsewhere it
   * would lower the whole process, so it is not done. */
  readonly nice?: number;
}

/** What the thread posts. */
export type WorkerMessage =
  | { readonly type: "parsed"; readonly mentees: number; readonly mentors: number }
  | { readonly type: "progress"; readonly progress: SolveProgress }
  | { readonly type: "result"; readonly result: unknown }
  | {
      readonly type: "invalid";
      /** The body's bytes could not be read (`BodyError`), as against a cohort's problems. */
      readonly body: boolean;
      readonly issues: readonly Issue[];
      readonly warnings: readonly Issue[];
      readonly message: string;
    }
  | { readonly type: "error"; readonly name: string; readonly message: string };

/** Progress is posted at most this often (and at each change of phase). */
export const PROGRESS_EVERY_MS = 100;

if (parentPort) {
  const port = parentPort;
  const post = (m: WorkerMessage) => port.postMessage(m);
  port.on("message", ({ input, json, text, task, progress, nice }: MatchJob) => {
    if (nice !== undefined && process.platform === "linux") {
      try {
        setPriority(nice); // this thread only, on Linux; a nice value once raised stays
      } catch {
        // Not allowed here: run as the other threads do.
      }
    }
    let last = -Infinity;
    let phase = "";
    let held: SolveProgress | undefined; // the latest update not yet posted
    const send = (p: SolveProgress) => {
      phase = p.phase;
      last = performance.now();
      held = undefined;
      post({ type: "progress", progress: { ...p } });
    };
    const onProgress = (p: SolveProgress) => {
      // A new phase, a phase's end, or enough time: posted; otherwise held for later.
      if (p.phase !== phase) {
        if (held) send(held); // the last phase's final state first
        send(p);
      } else if (p.done >= p.total || performance.now() - last >= PROGRESS_EVERY_MS) send(p);
      else held = p;
    };
    try {
      const cohort = parseCohort(json ? parseCheckedJson(input as Uint8Array) : input);
      const mentees = cohort.index.menteeIds.length;
      const mentors = cohort.index.mentorIds.length;
      post({ type: "parsed", mentees, mentors });
      let result: unknown;
      if (task.kind === "match") {
        result = match(cohort, progress ? { ...task.options, onProgress } : task.options);
        if (held) send(held);
      } else if (task.kind === "validate") {
        result = { ok: true, mentees, mentors } satisfies ValidateAnswer;
      } else {
        const { mentee, mentor } = task;
        const explanation = explainPair(cohort, mentee, mentor);
        let why: ExplainAnswer["whyNot"];
        if (task.whyNot !== undefined) {
          checkPlainRules(cohort, "whyNot"); // before the match, not after it
          const c = whyNot(cohort, match(cohort, task.whyNot), mentee, mentor, task.whyNot);
          why = {
            paired: c.paired,
            mentorLoad: c.mentorLoad,
            mentorCapacity: c.mentorCapacity,
            mentorMentees: c.mentorMentees,
            ...(c.forced === undefined ? {} : { forced: c.forced }),
          };
        }
        result = {
          explanation,
          detail: explanation.eligible ? null : reasonDetail(cohort, mentee, mentor),
          ...(why === undefined ? {} : { whyNot: why }),
        } satisfies ExplainAnswer;
      }
      post({ type: "result", result: text === true ? JSON.stringify(result) : result });
    } catch (e) {
      if (e instanceof InputError)
        post({
          type: "invalid",
          body: e instanceof BodyError,
          issues: e.issues,
          warnings: e.warnings,
          message: e.message,
        });
      else {
        const error = e instanceof Error ? e : new Error(String(e));
        post({ type: "error", name: error.name, message: error.message });
      }
    }
  });
}
