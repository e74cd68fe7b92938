/**
 * The CSV formats for mentees and mentors (one row a person, one column a field) and for the
 * round history (one row a record; docs/CSV.md).
 *
 * This module is the single description of these formats. The reader (`csv.ts`) and the writer
 * (`csv-write.ts`) are both driven by these tables, so a column added here is read, written and
 * mapped back from validation paths in one place.
 */
import { ESCAPED } from "../schema/show.js";

/** How a cell is read and written. */
export type CellKind =
  /** Text kept as is (after trimming); used for ids and labels. */
  | "text"
  /** A decimal number (`.` as the decimal point; also `,` in a file separated by `;` or tabs).
   * Whole-number fields are checked by the schema. */
  | "number"
  /** true / false / yes / no / 1 / 0 (any case). */
  | "boolean"
  /** `;`-separated ids. */
  | "list"
  /** `;`-separated training records, each `id` or `id@YYYY-MM-DD` (date completed). */
  | "training";

export interface ColumnSpec {
  /** The header as written in the CSV (matched without regard to case or surrounding spaces). */
  readonly header: string;
  /** The field of `MenteeInput` / `MentorInput` the column fills. */
  readonly field: string;
  readonly kind: CellKind;
  /** A required column must be present in the header; its cells may still be reported empty. */
  readonly required?: boolean;
  /** A number column that takes whole numbers only (the schema checks; messages say so). */
  readonly whole?: boolean;
  /** One line for the docs and for error messages. */
  readonly doc: string;
}

/** A family of columns named `<prefix><key>`, e.g. `target:sql` fills `targets.sql`. */
export interface PrefixSpec {
  readonly prefix: string;
  /** The object field the keyed values go to. */
  readonly field: string;
  readonly kind: "number" | "text";
  readonly doc: string;
}

export interface CsvFormat {
  readonly role: "mentees" | "mentors" | "history" | "checkins" | "outcomes" | "matches";
  readonly columns: readonly ColumnSpec[];
  readonly prefixes: readonly PrefixSpec[];
  /** A file with a header and no data rows is valid (an empty history); otherwise `no_rows`. */
  readonly emptyOk?: boolean;
}

const person = (role: string): ColumnSpec[] => [
  { header: "id", field: "id", kind: "text", required: true, doc: `Unique ${role} id.` },
  { header: "department", field: "department", kind: "text", required: true, doc: "Department." },
  { header: "unit", field: "unit", kind: "text", doc: "Business unit (default: the department)." },
  {
    header: "level",
    field: "level",
    kind: "number",
    whole: true,
    required: true,
    doc: "Job level, a whole number 0..100 (higher = more senior).",
  },
  {
    header: "tenure_months",
    field: "tenureMonths",
    kind: "number",
    required: true,
    doc: "Months with the organization (>= 0).",
  },
  {
    header: "hours_per_month",
    field: "hoursPerMonth",
    kind: "number",
    doc: "Hours a month for the program (empty = no stated limit).",
  },
  {
    header: "utc_offset",
    field: "utcOffset",
    kind: "number",
    doc: "UTC offset in hours, -12..14 (e.g. -5 or 5.5).",
  },
  { header: "languages", field: "languages", kind: "list", doc: "Languages spoken, e.g. en;de." },
  {
    header: "manager_chain",
    field: "managerChain",
    kind: "list",
    doc: "Ids of the person's managers, nearest first.",
  },
];

/** Both sides' sensitive attributes: `group:<attribute>` fills `sensitive.<attribute>`. */
const GROUP_PREFIX: PrefixSpec = {
  prefix: "group:",
  field: "sensitive",
  kind: "text",
  doc: "Sensitive attribute (group).",
};

export const MENTEE_FORMAT: CsvFormat = {
  role: "mentees",
  columns: [
    ...person("mentee"),
    { header: "tiers", field: "tiers", kind: "list", doc: "Tiers asked for (empty = any tier)." },
    {
      header: "aspirations",
      field: "aspirations",
      kind: "list",
      doc: "Career paths the mentee aspires to (matched against mentors' career_paths).",
    },
    {
      header: "preferred_mentors",
      field: "preferredMentors",
      kind: "list",
      doc: "Mentor ids the mentee would like.",
    },
    {
      header: "excluded_mentors",
      field: "excludedMentors",
      kind: "list",
      doc: "Mentor ids the mentee must not get.",
    },
    {
      header: "past_mentors",
      field: "pastMentors",
      kind: "list",
      doc: "Mentor ids from earlier rounds (repeat pairs are ineligible by default).",
    },
    { header: "high_potential", field: "highPotential", kind: "boolean", doc: "Flag." },
    {
      header: "rounds_unmatched",
      field: "roundsUnmatched",
      kind: "number",
      whole: true,
      doc: "Earlier rounds that left the mentee unmatched (whole number >= 0).",
    },
    {
      header: "min_mentors",
      field: "minMentors",
      kind: "number",
      whole: true,
      doc: "Fewest mentors (whole number, default 0).",
    },
    {
      header: "max_mentors",
      field: "maxMentors",
      kind: "number",
      whole: true,
      doc: "Most mentors (whole number, default 1).",
    },
    {
      header: "consent_analytics",
      field: "consent.analytics",
      kind: "boolean",
      doc: "Consent to analytics use of the mentee's data (empty = not asked).",
    },
  ],
  prefixes: [
    { prefix: "current:", field: "current", kind: "number", doc: "Current proficiency per skill." },
    { prefix: "target:", field: "targets", kind: "number", doc: "Target proficiency per skill." },
    GROUP_PREFIX,
  ],
};

export const MENTOR_FORMAT: CsvFormat = {
  role: "mentors",
  columns: [
    ...person("mentor"),
    { header: "tier", field: "tier", kind: "text", required: true, doc: "Tier id (e.g. peer)." },
    {
      header: "capacity",
      field: "capacity",
      kind: "number",
      whole: true,
      required: true,
      doc: "Most mentees (whole number >= 0).",
    },
    {
      header: "min_load",
      field: "minLoad",
      kind: "number",
      whole: true,
      doc: "Fewest mentees (whole number, default 0).",
    },
    {
      header: "training",
      field: "training",
      kind: "training",
      doc: "Completed training, e.g. sql-coach@2025-03-01;ethics.",
    },
    {
      header: "career_paths",
      field: "careerPaths",
      kind: "list",
      doc: "Career paths the mentor can speak to.",
    },
    {
      header: "excluded_mentees",
      field: "excludedMentees",
      kind: "list",
      doc: "Mentee ids the mentor must not get.",
    },
  ],
  prefixes: [
    { prefix: "skill:", field: "expertise", kind: "number", doc: "Expertise per skill." },
    GROUP_PREFIX,
  ],
};

/** The round history (`HistoryRecordInput`): one row per pair of a past round, and one per
 * mentee a round left unmatched (the `mentor` cell empty). The fields are the record's own, so a
 * validation path `records[k].<field>` maps to the column of the same name. */
export const HISTORY_FORMAT: CsvFormat = {
  role: "history",
  columns: [
    {
      header: "round",
      field: "round",
      kind: "text",
      required: true,
      doc: "Round id or number, e.g. 2025-H1 or 3 (rounds sort in natural order).",
    },
    {
      header: "date",
      field: "date",
      kind: "text",
      doc: "Date the round started, YYYY-MM-DD (empty = not recorded).",
    },
    { header: "mentee", field: "mentee", kind: "text", required: true, doc: "Mentee id." },
    {
      header: "mentor",
      field: "mentor",
      kind: "text",
      doc: "Mentor id of the pair (empty = the mentee was left unmatched that round).",
    },
    {
      header: "outcome",
      field: "outcome",
      kind: "text",
      doc: "How the pair ended: completed or ended_early (empty = not recorded).",
    },
    {
      header: "reason",
      field: "reason",
      kind: "text",
      doc: "Why the pair ended early, or why the mentee was left unmatched (free text).",
    },
  ],
  prefixes: [],
  emptyOk: true,
};

/** A program's check-ins (`CheckInInput`, docs/IMPACT.md): one row a planned check-in of a pair,
 * the re-assessed proficiencies in `proficiency:<skill>` columns (empty: not re-assessed). */
export const CHECKIN_FORMAT: CsvFormat = {
  role: "checkins",
  columns: [
    { header: "mentee", field: "mentee", kind: "text", required: true, doc: "Mentee id." },
    { header: "mentor", field: "mentor", kind: "text", required: true, doc: "Mentor id." },
    {
      header: "date",
      field: "date",
      kind: "text",
      required: true,
      doc: "Date of the check-in, YYYY-MM-DD.",
    },
    {
      header: "held",
      field: "held",
      kind: "boolean",
      required: true,
      doc: "Whether it took place: true/false, yes/no or 1/0.",
    },
    { header: "note", field: "note", kind: "text", doc: "Free text, kept and never read." },
  ],
  prefixes: [
    {
      prefix: "proficiency:",
      field: "proficiency",
      kind: "number",
      doc: "The mentee's proficiency re-assessed at the check-in, on the cohort's scale.",
    },
  ],
  emptyOk: true,
};

/** A program's outcome events (`OutcomeInput`): one row an event of a person. */
export const OUTCOME_FORMAT: CsvFormat = {
  role: "outcomes",
  columns: [
    {
      header: "person",
      field: "person",
      kind: "text",
      required: true,
      doc: "Mentee or mentor id.",
    },
    {
      header: "kind",
      field: "kind",
      kind: "text",
      required: true,
      doc: "promotion, internal_move, left or independence.",
    },
    { header: "date", field: "date", kind: "text", required: true, doc: "Date, YYYY-MM-DD." },
    {
      header: "goal",
      field: "goal",
      kind: "text",
      doc: "For independence: the skill id it was reached on (optional).",
    },
  ],
  prefixes: [],
  emptyOk: true,
};

/** A match's pairs as `mentorflow match --out` writes them (src/node/results.ts): mentee and
 * mentor are read; the other columns are the match's own and are not. */
export const MATCHES_FORMAT: CsvFormat = {
  role: "matches",
  columns: [
    { header: "mentee", field: "mentee", kind: "text", required: true, doc: "Mentee id." },
    { header: "mentor", field: "mentor", kind: "text", required: true, doc: "Mentor id." },
    ...["tier", "fit", "reasons", "locked"].map((header) => ({
      header,
      field: `_${header}`,
      kind: "text" as const,
      doc: "Written by match --out; not read.",
    })),
  ],
  prefixes: [],
  emptyOk: true,
};

/** Separator of list items inside one cell. */
export const LIST_SEPARATOR = ";";
/** Separates a training id from its completion date: `sql-coach@2025-03-01`. */
export const TRAINING_DATE_SEPARATOR = "@";

/** Formula escaping (the rule lives in the core, `schema/show.ts`, so messages use it too). The
 * reader removes one leading `'` exactly when it is followed by a formula character or by `'`. */
export { escapeFormula, MESSAGE_CELL_CHARS, showCell, showColumn } from "../schema/show.js";

export function unescapeFormula(cell: string): string {
  return ESCAPED.test(cell) ? cell.slice(1) : cell;
}

/** RFC 4180 quoting: only when a cell holds a comma, a quote or a line break. */
export function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
