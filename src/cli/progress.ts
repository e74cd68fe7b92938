/**
 * Progress on stderr for anything that takes over a second: a bar on a terminal (cli-progress),
 * plain timestamped lines otherwise (a log file or CI), nothing with `--quiet`. `match` is
 * synchronous, so updates come from its `onProgress` calls and from the command's own steps,
 * never from a timer.
 */
import cliProgress from "cli-progress";
import type { SolveProgress } from "../solve/types.js";
import type { CliIO } from "./io.js";

export interface Progress {
  /** A new step ("reading the cohort", "matching", …). */
  step(label: string): void;
  /** The engine's progress within the current step. */
  solve(p: SolveProgress): void;
  /** Clears the bar (before the command prints its results). */
  done(): void;
}

const PHASES: Record<SolveProgress["phase"], string> = {
  candidates: "scoring candidates",
  coverage: "counting coverage",
  solve: "solving",
  pricing: "pricing pairs",
};

/** Shown only once this much time has passed since the command started. */
const QUIET_MS = 1000;
/** Plain lines: at most one per this interval. */
const LINE_MS = 2000;

export function createProgress(io: CliIO, quiet: boolean): Progress {
  if (quiet) return { step() {}, solve() {}, done() {} };
  const t0 = Date.now();
  let label = "";
  let lastLine = -Infinity;
  let bar: cliProgress.SingleBar | undefined;
  const elapsed = () => Date.now() - t0;

  const line = (text: string, force: boolean) => {
    const t = elapsed();
    if (t < QUIET_MS || (!force && t - lastLine < LINE_MS)) return;
    lastLine = t;
    io.err(`[${(t / 1000).toFixed(1)} s] ${text}\n`);
  };

  const show = (text: string, done: number, total: number) => {
    if (elapsed() < QUIET_MS) return;
    if (!bar) {
      bar = new cliProgress.SingleBar(
        {
          stream: io.stderr,
          format: " {task} |{bar}| {value}/{total}",
          hideCursor: true,
          clearOnComplete: true,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), done, { task: text });
    }
    bar.setTotal(Math.max(total, done, 1));
    bar.update(done, { task: text });
  };

  return {
    step(next) {
      label = next;
      if (io.tty) show(label, 0, 0);
      else line(`${label}…`, true);
    },
    solve(p) {
      const what = `${label}: ${PHASES[p.phase]}`;
      if (io.tty) show(what, p.done, p.total);
      else line(p.total > 0 ? `${what} ${p.done}/${p.total}` : `${what}, round ${p.done}`, false);
    },
    done() {
      bar?.stop();
      bar = undefined;
    },
  };
}
