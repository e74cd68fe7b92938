/**
 * How the HTML report says things: numbers rounded for people, the words for statuses, reasons
 * and causes, and HTML escaping. The report uses nothing else to turn data into text, so a test
 * can recompute every string it shows from the summary.
 *
 * Numbers are formatted the same way whatever the machine's locale (`,` between thousands, `.`
 * before decimals, `−` for minus), so the same summary always gives the same report.
 */
import type { UnmatchedMenteeReason } from "../match/types.js";
import type { IneligibleReason } from "../score/eligibility.js";
import type { MatchSummary, SpareCause } from "./summary.js";

/** Text safe inside HTML (and SVG) elements and quoted attribute values. Control characters
 * that HTML does not allow become U+FFFD. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']|[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&#39;";
      default:
        return "\uFFFD";
    }
  });
}

const MINUS = "\u2212";
/** Shown for a number that does not exist (a bound of an infeasible result, a mean of nothing). */
export const NONE = "—";

/** `digits` decimals, thousands grouped with `,`, `−` for minus, never "−0.00". */
function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? NONE : x > 0 ? "∞" : `${MINUS}∞`;
  const text = Math.abs(x).toFixed(digits);
  const [whole, frac] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const body = frac === undefined ? grouped : `${grouped}.${frac}`;
  return x < 0 && /[1-9]/.test(text) ? `${MINUS}${body}` : body;
}

/** A whole number of people, pairs or places: `12,345`. */
export function formatCount(n: number): string {
  return fixed(n, 0);
}

/** A fit (or a total of fits, a bound, a price): 2 decimals. */
export function formatFit(x: number | null): string {
  return x === null ? NONE : fixed(x, 2);
}

/** A part of a fit with its sign: `+4.00`, `−0.25`. */
export function formatSignedFit(x: number): string {
  const body = fixed(x, 2);
  return body.startsWith(MINUS) || body === "0.00" ? body : `+${body}`;
}

/** A share (0..1) as a percent with 1 decimal: `21.9%`. */
export function formatShare(x: number | null): string {
  return x === null ? NONE : `${fixed(x * 100, 1)}%`;
}

/** `part` of `whole` as a share, or null when `whole` is 0. */
export function shareOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** A duration: `29 ms`, `13.98 s`, `4.5 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${fixed(ms, 0)} ms`;
  if (ms < 120_000) return `${fixed(ms / 1000, 2)} s`;
  return `${fixed(ms / 60_000, 1)} min`;
}

/** `1 mentee`, `3 mentees`. */
export function counted(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** What a status means, in a headline and a sentence. */
export const STATUS_WORDS: Readonly<
  Record<MatchSummary["status"], { readonly label: string; readonly sentence: string }>
> = {
  optimal: {
    label: "Optimal",
    sentence: "The total fit is proven the best possible under every rule of the program.",
  },
  feasible: {
    label: "Feasible, not proven optimal",
    sentence:
      "The pairs keep every rule, but the search could not close the gap to the proven bound: a better answer may exist, by at most the gap.",
  },
  time_limit: {
    label: "Stopped early",
    sentence:
      "The solve hit its time limit or was stopped: these are the pairs found so far, and the bound says how much better an answer could be.",
  },
  infeasible: {
    label: "Infeasible",
    sentence:
      "No assignment meets the program's minimums, locked pairs and equity rules together, so there are no pairs (the match result's diagnosis says what cannot be met).",
  },
};

/** Why a mentee has no mentor, in words. */
export const UNMATCHED_WORDS: Readonly<Record<UnmatchedMenteeReason, string>> = {
  no_eligible_mentor: "no eligible mentor",
  mentors_full: "eligible mentors all full",
  no_fit: "no eligible mentor with room adds fit",
  max_mentors_zero: "asked for no mentor",
  stopped_early: "solve stopped before placing",
  equity_rules: "equity rules chose other pairs",
};

/** An eligibility rule, in words. */
export const RULE_WORDS: Readonly<Record<IneligibleReason, string>> = {
  self: "same person",
  forbidden: "forbidden pair",
  excluded: "excluded",
  same_reporting_line: "same reporting line",
  repeat_pair: "past mentor",
  no_capacity: "no capacity",
  no_demand: "wants no mentor",
  tier_not_wanted: "tier not wanted",
  level_gap: "level gap",
  training: "missing training",
  tenure: "tenure too short",
  hours: "too few hours",
  timezone: "time zones too far apart",
  language: "no shared language",
  min_fit: "fit below the minimum",
};

/** A rule's words, or the code itself for a rule this version does not know. */
export function ruleWords(rule: string | null): string {
  if (rule === null) return NONE;
  return Object.hasOwn(RULE_WORDS, rule) ? RULE_WORDS[rule as IneligibleReason] : rule;
}

/**
 * Why `n` mentors with room stayed so, as the rest of a sentence after "N mentors with room":
 * `lack training mentor-basics` (the verb agrees with `n`). `id` wraps the ids in it (training
 * ids, an unknown cause) and `prose` the rest of the data (a limit, a rule's words); the words
 * around them have no character HTML escapes.
 */
export function causeWords(
  cause: SpareCause,
  detail: string | null,
  n: number,
  wrap: { id: (text: string) => string; prose: (text: string) => string } = {
    id: (text) => text,
    prose: (text) => text,
  },
): string {
  const one = n === 1;
  const more = (text: string) => (detail ? `${text} (${wrap.prose(detail)})` : text);
  switch (cause) {
    case "training":
      return `${one ? "lacks" : "lack"} training${detail ? ` ${wrap.id(detail)}` : ""}`;
    case "tenure":
      return more(one ? "has too short a tenure" : "have too short a tenure");
    case "hours":
      return more(one ? "offers too few hours" : "offer too few hours");
    case "no_eligible_mentee":
      return `${one ? "is" : "are"} eligible for no mentee${detail ? ` (mostly: ${wrap.prose(ruleWords(detail))})` : ""}`;
    case "placed_elsewhere":
      return "had eligible mentees, all placed with mentors the program prefers";
    default:
      return more(wrap.id(String(cause)));
  }
}

/** A part of a fit: `skill:leadership` → `leadership`, terms as named. */
export function fitPartWords(part: string): string {
  return part.startsWith("skill:") ? part.slice("skill:".length) : part;
}
