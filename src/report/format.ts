/**
 * How mentorflow says things to people: numbers rounded, the words for statuses, reasons and
 * causes, the sentences about spare capacity, unmet demand and shortfalls, and HTML escaping. The
 * HTML report, the CLI's summary and the results CSVs use nothing else to turn a summary into
 * text, so a test can recompute every string they show.
 *
 * Numbers are formatted the same way whatever the machine's locale (`,` between thousands, `.`
 * before decimals, `−` for minus), so the same summary always gives the same report.
 */
import type { UnmatchedMenteeReason } from "../match/types.js";
import type { IneligibleReason } from "../score/eligibility.js";
import type {
  DemandGroup,
  FitPart,
  MatchSummary,
  Shortfall,
  SpareCause,
  SpareGroup,
  TeachBlock,
  UnmatchedSummary,
} from "./summary.js";

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

/** Why a `time_limit` answer ended early, and what its pairs keep, in a sentence or two. */
export function stopWords(stop: NonNullable<MatchSummary["stop"]>): string {
  const why =
    stop.reason === "time"
      ? "The time limit ended the solve."
      : stop.reason === "aborted"
        ? "The solve was aborted."
        : "The equity search ended without pairs that keep every rule, and without proof that none exist.";
  return stop.feasible
    ? `${why} The pairs keep every minimum and every enforced rule.`
    : `${why} The pairs do NOT keep every minimum and enforced rule: do not use them as they are.`;
}

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
  cause: SpareCause | TeachBlock["cause"],
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
    case "stopped_early":
      return "had eligible mentees the solve stopped before placing";
    case "rule":
      return `${one ? "is" : "are"} ruled out for them by ${wrap.prose(ruleWords(detail))}`;
    default:
      return more(wrap.id(String(cause)));
  }
}

/** A part of a fit: `skill:leadership` → `leadership`, terms as named. */
export function fitPartWords(part: string): string {
  return part.startsWith("skill:") ? part.slice("skill:".length) : part;
}

/** How data inside a sentence is marked: ids (skills, tiers, training ids) and other text. The
 * CLI and the CSVs print it as is (`PLAIN`); the report escapes it and sets ids as code. */
export interface Wrap {
  readonly id: (text: string) => string;
  readonly prose: (text: string) => string;
}

export const PLAIN: Wrap = { id: (text) => text, prose: (text) => text };

/** A part of a fit with its value: `leadership +4.00`. */
export function fitPartText(p: FitPart): string {
  return `${fitPartWords(p.part)} ${formatSignedFit(p.value)}`;
}

/** The rules that ruled mentors out, with how many each: `level_gap ×10, training ×1`. */
export function blockedText(blocked: UnmatchedSummary["blockedBy"]): string {
  return blocked.map((b) => `${b.rule} ×${formatCount(b.mentors)}`).join(", ");
}

/** `any tier`, `tier senior`, `tiers peer or senior`. */
export function tiersWords(tiers: readonly string[] | null, wrap: Wrap = PLAIN): string {
  if (tiers === null) return "any tier";
  const list = tiers.map(wrap.id);
  if (list.length === 1) return `tier ${list[0]}`;
  return `tiers ${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
}

/** `3 senior mentors`. */
export function mentorsOfTier(n: number, tier: string, wrap: Wrap = PLAIN): string {
  return counted(n, `${wrap.prose(tier)} mentor`, `${wrap.prose(tier)} mentors`);
}

/**
 * Unmet demand for one skill, as a head (after "N mentees need"): `help in leadership (any tier):
 * 2 have no eligible mentor; for 1, no eligible mentor has room`, and one line per group of
 * ruled-out mentors who could teach it (or the advice to recruit when none can).
 */
export function demandWords(
  d: DemandGroup,
  wrap: Wrap = PLAIN,
): { readonly head: string; readonly teach: readonly string[] } {
  const n = d.mentees.length;
  const parts: string[] = [];
  if (d.noEligibleMentor === n)
    parts.push(n === 1 ? "no eligible mentor" : "none has an eligible mentor");
  else if (d.mentorsFull === n) parts.push("no eligible mentor has room");
  else {
    if (d.noEligibleMentor > 0)
      parts.push(
        `${formatCount(d.noEligibleMentor)} ${d.noEligibleMentor === 1 ? "has" : "have"} no eligible mentor`,
      );
    if (d.mentorsFull > 0)
      parts.push(`for ${formatCount(d.mentorsFull)}, no eligible mentor has room`);
  }
  const teach = d.couldTeach.map(
    (c) =>
      `${mentorsOfTier(c.mentors, c.tier, wrap)} with room could teach it but ${causeWords(c.cause, c.detail, c.mentors, wrap)}`,
  );
  if (teach.length === 0 && d.noEligibleMentor > 0)
    teach.push(
      `No ruled-out mentor with room covers this gap: recruit mentors for ${wrap.id(d.skill)}`,
    );
  return {
    head: `help in ${wrap.id(d.skill)} (${tiersWords(d.tiers, wrap)}): ${parts.join("; ")}`,
    teach,
  };
}

/** After "N senior mentors": `with room (3 idle, 5 places spare) lack training mentor-basics`. */
export function spareWords(g: SpareGroup, wrap: Wrap = PLAIN): string {
  return `with room (${formatCount(g.idle)} idle, ${counted(g.spare, "place", "places")} spare) ${causeWords(g.cause, g.detail, g.mentors.length, wrap)}`;
}

/** `Mentor m004 needs at least 2 mentees, but only 0 are eligible; mostly ruled out by: missing
 * training (mentor-basics)`. */
export function shortfallWords(f: Shortfall, wrap: Wrap = PLAIN): string {
  const who = f.side === "mentor" ? "Mentor" : "Mentee";
  const partner = f.side === "mentor" ? ["mentee", "mentees"] : ["mentor", "mentors"];
  const rule = f.rule === null ? "" : `; mostly ruled out by: ${wrap.prose(ruleWords(f.rule))}`;
  const detail = f.detail ? ` (${wrap.prose(f.detail)})` : "";
  return `${who} ${wrap.id(f.id)} needs at least ${counted(f.needed, partner[0], partner[1])}, but ${f.eligible === 1 ? "only 1 is" : `only ${formatCount(f.eligible)} are`} eligible${rule}${detail}`;
}
