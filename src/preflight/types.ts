/** The questions the preflight asks of a target database, and their answers. */

/**
 * What a count means:
 *  - `lost`: rows deleted or changed that the migration does not delete or update on purpose (an error when > 0);
 *  - `fails`: rows that make the statement (or the file, at its commit) fail (an error when > 0);
 *  - `info`: rows the statement changes on purpose (DELETE/UPDATE), for the record;
 *  - `size`: rows a statement rewrites, against D1's 30 s per query (a warning when large).
 */
export type ProbeEffect = 'lost' | 'fails' | 'info' | 'size';

/** One question about one statement of a pending migration. */
export interface Probe extends QuestionSite {
  /** How to count: rows of a FROM item for which `predicate` holds. */
  scan?: { from: string; predicate: string };
  /** ...or a complete SELECT of one integer. */
  scalar?: string;
  /** The finding's message for a count of `rows` on `where` (only for `lost`, `fails` and `size`). */
  message?: (rows: number, where: string) => string;
}

/** Where a question is about and what it asks: shared by every form a question takes. */
export interface QuestionSite {
  /** Migration name (as the ledger records it) and its working-directory-relative path. */
  migration: string;
  file: string;
  line: number;
  /** The table the count is about, as the migration spells it. */
  table: string;
  /** What is counted, in words (no values from the database ever appear in it). */
  question: string;
  effect: ProbeEffect;
}

/** A question the preflight could not put into SQL, and why. */
export interface Unanswerable extends QuestionSite {
  why: string;
}

/** One question as reports show it: asked (rows) or not (why). Counts only: no value of a row. */
export interface PreflightEntry extends QuestionSite {
  /** The count; null when it was not asked or not answered. */
  rows: number | null;
  /** Why there is no count. */
  why?: string;
}

/** What the preflight did for one database. */
export interface PreflightReport {
  /** Read-only requests sent (0 when nothing needed asking). */
  requests: number;
  entries: PreflightEntry[];
}
