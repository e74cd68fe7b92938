// Placeholder until the report lands (replaced by the report branch).
import type { MatchSummary } from "./summary.js";
export function renderMatchReport(
  summary: MatchSummary,
  _options: { cohort?: string } = {},
): string {
  return `<!doctype html><title>mentorflow</title><p>${summary.status}</p>`;
}
