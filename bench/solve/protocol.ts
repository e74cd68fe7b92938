/** What a child process reports to the runner. */
import type { SolverName } from "./solvers.js";

export const RESULT_MARK = "@@result ";

export interface ChildReport {
  solver: SolverName;
  rows: number;
  cols: number;
  digest: string;
  genMs: number;
  /** process.resourceUsage().maxRSS: peak resident set of the whole process, in MB. */
  maxRssMB: number;
  status: string;
  objective: number | null;
  reportedObjective?: number | null;
  matched: number;
  prepMs: number;
  timesMs: number[];
  verified?: boolean;
  note?: string;
}
