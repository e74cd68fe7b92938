/**
 * Run child.ts in a fresh Node process with a wall-clock cap (SIGKILL on timeout) and a heap cap.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { RESULT_MARK, type ChildReport } from "./protocol.js";
import type { SolverName } from "./solvers.js";

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

export interface ChildJob {
  solver: SolverName;
  rows: number;
  cols: number;
  seed: number;
  capacity: number;
  reps: number;
  /** Wall-clock cap of the whole child (SIGKILL after). */
  capSeconds: number;
  /** Passed to the child as its time limit per solve; default capSeconds. */
  solveCapSeconds?: number;
  /** --max-old-space-size for the child, in MB. Typed arrays and Wasm memory are outside it. */
  heapMB: number;
  /** Instance file: written by the "instance" child, read by the others. */
  instanceFile?: string;
}

export type ChildOutcome =
  | { kind: "done"; report: ChildReport; wallMs: number }
  | { kind: "timeout"; wallMs: number }
  | { kind: "crash"; wallMs: number; detail: string; report?: Partial<ChildReport> };

export function runChild(job: ChildJob): Promise<ChildOutcome> {
  const args = [
    `--max-old-space-size=${job.heapMB}`,
    "--import",
    "tsx",
    CHILD,
    "--solver",
    job.solver,
    "--rows",
    String(job.rows),
    "--cols",
    String(job.cols),
    "--seed",
    String(job.seed),
    "--capacity",
    String(job.capacity),
    "--reps",
    String(job.reps),
    "--cap-ms",
    String((job.solveCapSeconds ?? job.capSeconds) * 1000),
    ...(job.instanceFile ? ["--instance-file", job.instanceFile] : []),
  ];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      // Keep only the tail: a chatty solver must not fill our memory.
      if (out.length > 1 << 20) out = out.slice(-(1 << 16));
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.length > 1 << 16) err = err.slice(-(1 << 14));
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, job.capSeconds * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      if (timedOut) return resolve({ kind: "timeout", wallMs });
      const line = out
        .split("\n")
        .reverse()
        .find((l) => l.startsWith(RESULT_MARK));
      let report: ChildReport | undefined;
      if (line) {
        try {
          report = JSON.parse(line.slice(RESULT_MARK.length)) as ChildReport;
        } catch {
          report = undefined;
        }
      }
      if (report && code === 0 && report.status !== "crash")
        return resolve({ kind: "done", report, wallMs });
      const tail = summarizeStderr(err);
      const detail = report?.note ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
      resolve({
        kind: "crash",
        wallMs,
        detail: tail && !report?.note ? `${detail}: ${tail}` : detail,
        ...(report ? { report } : {}),
      });
    });
  });
}

/** The line of a dying process's stderr that says why (V8 OOM, Wasm abort, an uncaught error). */
function summarizeStderr(err: string): string {
  const lines = err
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^\d+: 0x/.test(l) && !l.startsWith("<---") && !l.startsWith("["));
  const why = lines.find((l) => /FATAL ERROR|RuntimeError|Aborted|Error:|out of memory/i.test(l));
  return (why ?? lines.at(-1) ?? "").slice(0, 200);
}
