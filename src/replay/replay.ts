/**
 * Replays migrations on an in-process SQLite that behaves like local D1 (workerd) does under
 * `wrangler d1 migrations apply --local`: each file plus wrangler's bookkeeping INSERT runs atomically, foreign
 * keys are enforced, double-quoted strings are accepted, and the first failing file stops the run.
 */
import { finding, type FindingInput } from '../finding.js';
import { DATA_LOSS_RULES } from '../rule-catalog.js';
import { checkDuplicateNumbers } from '../rules/duplicate-number.js';
import { parseMigration } from '../sql/split.js';
import type { ParsedMigration } from '../sql/types.js';
import type { Finding, MigrationFile, SchemaObject } from '../types.js';
import { classifyStatement, mayClassify, type StatementKind } from './classify.js';
import { fillSql } from './data/boundary.js';
import { DataCheck, type DataCheckOutcome } from './data/check.js';
import type { KeptRebuild } from './data/rebuilds.js';
import { doubleQuotedFinding, doubleQuotedLiterals } from './double-quoted.js';
import { readSchema, seedSchema } from './schema.js';
import { loadSqlite, openD1Like, stepPrepared, tryExec, type OoDb, type Ptr, type Sqlite3 } from './sqlite.js';
import { firstLine, isParseError, SqlText } from './statements.js';
import type { ReplayInput, ReplayResult } from './types.js';
import { bookkeepingSql, createMigrationsTableSql, SEVERAL_TRANSACTIONS_MESSAGE, wranglerTrim } from './wrangler-text.js';

export type { ReplayInput, ReplayResult } from './types.js';

const SAVEPOINT = 'd1_migrate_replay';
const DQS_RULE = 'double-quoted-string';
const DROP_RULE = 'drop-referenced-table';
const OTHER: StatementKind = { kind: 'other' };

/** Where and why a file failed; `resumeAt` is where syntax checking of the rest of the file continues. */
interface Failure {
  message: string;
  /** Byte offset of the failing statement, or undefined for a failure of the file as a whole. */
  start?: number;
  errorOffset?: number;
  /** True when SQLite could not parse the statement. */
  parse: boolean;
  resumeAt?: number;
  /** The message is complete (wrangler-specific failures); no statement context is added. */
  final?: boolean;
  line?: number;
  /**
   * The statement fails under local wrangler only because D1 rejects its kind, which the named static rule
   * already reports: stop here as wrangler does, with a note instead of a second finding.
   */
  reportedBy?: string;
}

/** What workerd answers for transaction control (local wrangler fails the file with it). */
const D1_TRANSACTION_MESSAGE =
  'To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements';

export async function replayMigrations(input: ReplayInput): Promise<ReplayResult> {
  const sqlite3 = await loadSqlite();
  const replayer = new Replayer(sqlite3, input);
  try {
    return await replayer.run();
  } finally {
    replayer.close();
  }
}

/** The schema after applying `files` in order (e.g. a base branch's migrations, for a PR schema diff). */
export async function schemaOf(files: MigrationFile[], migrationsTable: string): Promise<SchemaObject[]> {
  const result = await replayMigrations({ files, migrationsTable, disabled: new Set([DQS_RULE, DROP_RULE]) });
  return result.schema;
}

class Replayer {
  private readonly db: OoDb;
  private scratch: OoDb | undefined;
  private readonly findings: Finding[] = [];
  private readonly notes: string[] = [];
  private readonly disabled: Set<string>;
  /**
   * Lower-cased new name → the old name and the tables whose foreign keys ALTER TABLE ... RENAME TO moved
   * from the old name to the new one, to explain why a later DROP of the new name hits them.
   */
  private readonly repointed = new Map<string, { from: string; children: Set<string> }>();
  /** SAVEPOINT / RELEASE of the per-file transaction, prepared once and reset after each use. */
  private readonly savepoint: { pointer: Ptr; finalize(): unknown };
  private readonly release: { pointer: Ptr; finalize(): unknown };
  private readonly dataCheck: DataCheck | undefined;
  private readonly parsed: Map<string, ParsedMigration>;
  private dataSeed: string | undefined;
  /** The first settled file that failed: the schema later files run on is incomplete from then on. */
  private brokenHistory: string | undefined;
  private dataFill: string | undefined;
  private readonly kept: (KeptRebuild & { file: string })[] = [];

  constructor(
    private readonly sqlite3: Sqlite3,
    private readonly input: ReplayInput,
  ) {
    this.disabled = input.disabled ?? new Set();
    this.db = openD1Like(sqlite3);
    this.savepoint = this.db.prepare(`SAVEPOINT ${SAVEPOINT}`);
    this.release = this.db.prepare(`RELEASE ${SAVEPOINT}`);
    const dataRulesOn = [...DATA_LOSS_RULES].some((r) => !this.disabled.has(r));
    this.dataCheck = input.dataCheck && dataRulesOn ? new DataCheck(sqlite3, this.db, input.migrationsTable) : undefined;
    this.parsed = new Map((input.parsed ?? []).map((p) => [p.file.name, p]));
  }

  close(): void {
    this.savepoint.finalize();
    this.release.finalize();
    this.dataCheck?.close();
    this.db.close();
    this.scratch?.close();
  }

  async run(): Promise<ReplayResult> {
    const result = await this.replayFiles();
    // The data check's run-wide note (tables it could not fill) comes after the notes of the files.
    result.notes.push(...(this.dataCheck?.notes() ?? []));
    return {
      ...result,
      ...(this.dataSeed !== undefined && { dataSeed: this.dataSeed }),
      ...(this.dataFill !== undefined && { dataFill: this.dataFill }),
      ...(this.kept.length > 0 && { keptRebuilds: this.kept }),
    };
  }

  /**
   * Between files: let the event loop run, so a SIGTERM/SIGINT handler can abort the job while validate is
   * busy (synchronous SQLite work would otherwise hold the signal until the end), and stop if it did.
   */
  private async checkpoint(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.input.signal?.aborted) throw new Error('validate was cancelled (the job received a stop signal); nothing was applied.');
  }

  private async replayFiles(): Promise<ReplayResult> {
    const { files, migrationsTable } = this.input;
    const replayed: string[] = [];
    const notes = this.notes;
    const baseErrors = this.input.base ? seedSchema(this.sqlite3, this.db, this.input.base) : undefined;
    if (this.input.base) this.dataCheck?.markOutOfSync();
    const withBase = <T extends ReplayResult>(r: T): T => (baseErrors ? { ...r, baseErrors } : r);
    const createError = tryExec(this.sqlite3, this.db, createMigrationsTableSql(migrationsTable));
    if (createError) {
      this.add({
        rule: 'replay-error',
        message: `wrangler cannot create its migrations table ${migrationsTable}: ${createError}. Check migrations_table in the wrangler config.`,
      });
      return withBase({ findings: this.findings, schema: [], replayed, failedAt: undefined, notReplayed: files.map((f) => f.name), notes });
    }

    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      await this.checkpoint();
      if (this.applyFile(file)) {
        replayed.push(file.name);
        continue;
      }
      if (this.input.settled?.has(file.name)) {
        // The target applied it, so its real base schema came from elsewhere: go on without it.
        this.brokenHistory ??= file.name;
        continue;
      }
      const later = files.slice(i + 1);
      for (const f of later) {
        await this.checkpoint();
        this.syntaxCheckFile(f);
      }
      if (later.length > 0) {
        notes.push(
          `${later.length} later migration${later.length === 1 ? ' was' : 's were'} not replayed because ${file.name} failed (wrangler stops at the first failing file); they were only syntax-checked.`,
        );
      }
      this.noteBrokenHistory();
      return withBase({
        findings: this.findings,
        schema: readSchema(this.db, migrationsTable),
        replayed,
        failedAt: file.name,
        notReplayed: later.map((f) => f.name),
        notes,
      });
    }
    this.noteBrokenHistory();
    return withBase({ findings: this.findings, schema: readSchema(this.db, migrationsTable), replayed, notReplayed: [], notes });
  }

  private noteBrokenHistory(): void {
    if (this.brokenHistory === undefined) return;
    this.notes.push(
      `The existing migrations do not replay on an empty database (${this.brokenHistory} fails: their base schema came from outside the migrations folder, or earlier files were deleted). That is reported, not blocking; the replay went on without the failing files, so the schema the new migrations were checked on may be incomplete — preview with credentials checks them against the real database.`,
    );
  }

  /** Runs one file atomically; returns false (after reporting) when it fails. */
  private applyFile(file: MigrationFile): boolean {
    const { sqlite3 } = this;
    const { wasm } = sqlite3;
    const body = stripBom(file.sql);
    const full = body + bookkeepingSql(this.input.migrationsTable, file.name);
    const bookStart = Buffer.byteLength(body, 'utf8');

    const trimmed = wranglerTrim(full);
    if (!trimmed.ok) {
      this.reportFailure(file, undefined, bookStart, {
        message: `local wrangler refuses this file before running it: "${SEVERAL_TRANSACTIONS_MESSAGE.split('\n')[0]}" — the text "BEGIN TRANSACTION" still occurs after wrangler removed the first "BEGIN TRANSACTION;" (even inside a comment it counts). D1 runs each migration in a transaction already: remove every BEGIN TRANSACTION/COMMIT.`,
        parse: false,
        final: true,
        line: lineOfIndex(full, trimmed.index),
      });
      this.syntaxCheckFile(file);
      return false;
    }

    const text = new SqlText(sqlite3, trimmed.sql);
    const db = this.db.pointer;
    let failure: Failure | undefined;
    const data = this.runDataCheck(file, text);
    const beginError = stepPrepared(this.sqlite3, this.db, this.savepoint.pointer);
    if (beginError) throw new Error(`replay: SAVEPOINT ${SAVEPOINT} failed: ${beginError}`);
    try {
      let offset = 0;
      for (;;) {
        const p = text.prepare(db, offset);
        if (!p.ok) {
          failure = { message: p.message, start: p.start, errorOffset: p.errorOffset, parse: isParseError(p.message) };
          break;
        }
        if (!p.stmt) break;
        offset = p.end;
        try {
          failure = this.runStatement(file, text, p.stmt, p.start, p.end, data);
        } finally {
          wasm.exports.sqlite3_finalize(p.stmt);
        }
        if (failure) break;
      }
      if (!failure) {
        // The outermost RELEASE commits, which is where deferred foreign keys are checked — as at the end of
        // D1's per-file transaction.
        const commitError = stepPrepared(this.sqlite3, this.db, this.release.pointer);
        if (commitError) {
          failure = {
            message: `${commitError} when the file's transaction commits (deferred foreign key checks: PRAGMA defer_foreign_keys or DEFERRABLE INITIALLY DEFERRED keys)`,
            parse: false,
            final: true,
          };
        }
      }
      if (failure) {
        this.exec(`ROLLBACK TO ${SAVEPOINT}`);
        this.exec(`RELEASE ${SAVEPOINT}`);
        this.reportFailure(file, text, bookStart, failure);
        if (failure.start !== undefined) {
          const resumeAt = failure.resumeAt ?? text.statementEnd(failure.start);
          this.syntaxCheckText(file, text, resumeAt, bookStart);
        }
        return false;
      }
      // Data findings count only for a file that applies: one that fails anyway is reported as failing.
      for (const f of data?.findings ?? []) this.add(f);
      this.notes.push(...(data?.notes ?? []));
      for (const k of data?.kept ?? []) this.kept.push({ ...k, file: file.relPath });
      return true;
    } finally {
      text.free();
    }
  }

  /** The data check of one file (before it runs for real); a fault in it must not stop the replay. */
  private runDataCheck(file: MigrationFile, text: SqlText): DataCheckOutcome | undefined {
    if (!this.dataCheck) return undefined;
    try {
      const dump = this.input.dumpDataBefore === file.name;
      if (dump) this.dataSeed = this.dataCheck.dump();
      const outcome = this.dataCheck.run(file, text, this.parsed.get(file.name) ?? parseMigration(file));
      if (dump && outcome?.boundary) this.dataFill = fillSql(outcome.boundary);
      return outcome;
    } catch (e) {
      this.dataCheck.markOutOfSync();
      this.notes.push(`Data check skipped for ${file.name}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Executes one prepared statement; returns the failure, if any. */
  private runStatement(file: MigrationFile, text: SqlText, stmt: Ptr, start: number, end: number, data: DataCheckOutcome | undefined): Failure | undefined {
    const { capi, wasm } = this.sqlite3;
    // Most statements (CREATE, INSERT, UPDATE...) are told apart by their first bytes, without decoding them.
    const kind: StatementKind = mayClassify(text.bytes, start) ? classifyStatement(text.slice(start, end)) : OTHER;
    switch (kind.kind) {
      // D1 ignores it inside its per-file transaction; running it would turn foreign keys off, which D1
      // never does. foreign-keys-pragma reports it.
      case 'pragma-foreign-keys':
        return undefined;
      // workerd rejects these, so local wrangler fails the file here (a BEGIN TRANSACTION;/COMMIT; pair that
      // wrangler strips never gets this far). The static rules report them; running them would break the
      // savepoint, so the replay stops here without a finding of its own.
      case 'transaction':
        return { message: D1_TRANSACTION_MESSAGE, start, parse: false, resumeAt: end, reportedBy: 'transaction-statement' };
      case 'attach':
      case 'vacuum':
        return { message: `D1 does not allow ${kind.kind === 'vacuum' ? 'VACUUM' : 'ATTACH/DETACH'}`, start, parse: false, resumeAt: end, reportedBy: 'unsupported-statement' };
      case 'drop-table':
        if (!this.disabled.has(DROP_RULE) && (!kind.schema || kind.schema.toLowerCase() === 'main')) {
          this.checkDropReferenced(file, text, start, kind.table, data);
        }
        break;
      default:
        break;
    }
    if (!this.disabled.has(DQS_RULE) && text.hasByte(start, end, 0x22)) this.checkDoubleQuoted(file, text, start, end, text.slice(start, end));
    const movedChildren = kind.kind === 'rename-table' && !this.disabled.has(DROP_RULE) ? this.referencing(kind.from).map((r) => String(r.child)) : [];

    const step = wasm.exports.sqlite3_step;
    let rc: number;
    do rc = step(stmt);
    while (rc === capi.SQLITE_ROW);
    if (rc !== capi.SQLITE_DONE) {
      return { message: capi.sqlite3_errmsg(this.db.pointer), start, parse: false, resumeAt: end };
    }
    if (kind.kind === 'rename-table' && movedChildren.length > 0) {
      this.repointed.set(kind.to.toLowerCase(), { from: kind.from, children: new Set(movedChildren) });
    }
    return undefined;
  }

  /** Double-quoted names SQLite reads as text (double-quoted.ts): an error where they overwrite every row. */
  private checkDoubleQuoted(file: MigrationFile, text: SqlText, start: number, end: number, sql: string): void {
    const literals = doubleQuotedLiterals(this.sqlite3, this.db, text, start, end, sql);
    if (literals.length === 0) return;
    const line = text.lineAt(start);
    const f = doubleQuotedFinding(file, text, start, sql, literals, (name) => this.dataCheck?.literalRows(line, name));
    if (f) this.add(f, f.severity);
  }

  /**
   * D1 keeps foreign keys on, so DROP TABLE of a parent runs an implicit DELETE that cascades into or is
   * blocked by the children — invisible on the empty database a replay or a local apply starts from.
   */
  private checkDropReferenced(file: MigrationFile, text: SqlText, start: number, table: string, data: DataCheckOutcome | undefined): void {
    const exists = this.db.selectObjects(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE`, [table]);
    const [found] = exists;
    if (!found) return;
    const parent = String(found.name);
    const rows = this.referencing(parent);
    if (rows.length === 0) return;
    const refs = new Map<string, { child: string; cols: string[]; onDelete: string }>();
    for (const r of rows) {
      const key = `${String(r.child)}\u0000${String(r.id)}`;
      const ref = refs.get(key) ?? { child: String(r.child), cols: [], onDelete: String(r.onDelete) };
      ref.cols.push(String(r.col));
      refs.set(key, ref);
    }
    const list = [...refs.values()].sort((a, b) => a.child.localeCompare(b.child) || a.cols.join().localeCompare(b.cols.join()));
    const describe = list.map((r) => `${r.child}(${r.cols.join(', ')}) ON DELETE ${r.onDelete}`).join(', ');
    const wiping = list.filter((r) => r.onDelete === 'CASCADE' || r.onDelete === 'SET NULL' || r.onDelete === 'SET DEFAULT');
    const blocking = list.filter((r) => !wiping.includes(r));
    const effects: string[] = [];
    const cascade = wiping.filter((r) => r.onDelete === 'CASCADE').map((r) => r.child);
    const nulling = wiping.filter((r) => r.onDelete !== 'CASCADE').map((r) => `${r.child}.${r.cols.join('/')}`);
    if (cascade.length) effects.push(`deletes every row of ${unique(cascade).join(', ')}`);
    if (nulling.length) effects.push(`resets ${unique(nulling).join(', ')} to NULL/default in every row`);
    if (blocking.length) {
      effects.push(
        `fails with "FOREIGN KEY constraint failed" because of ${unique(blocking.map((r) => r.child)).join(', ')} (even with PRAGMA defer_foreign_keys = on, unless the file turns it off again before its end, which discards the violations unchecked)`,
      );
    }
    const moved = this.repointed.get(parent.toLowerCase());
    const movedHere = moved ? unique(list.map((r) => r.child).filter((c) => moved.children.has(c))) : [];
    const repointed = moved && movedHere.length
      ? ` ${movedHere.join(', ')} point${movedHere.length === 1 ? 's' : ''} at ${parent} because ALTER TABLE ${moved.from} RENAME TO ${parent} re-pointed ${movedHere.length === 1 ? 'its key' : 'their keys'}: SQLite rewrites other tables' references on rename.`
      : '';
    // The data check ran this file to its end with rows in every referencing table: what it saw beats the
    // prediction (the children may be dropped or emptied before, or copied before the DROP).
    const line = text.lineAt(start);
    if (data?.complete && this.dataCheck?.covers(list.map((r) => r.child)) && !data.findings.some((f) => f.line === line)) {
      this.notes.push(
        `${file.name} line ${line}: DROP TABLE ${parent} while ${unique(list.map((r) => r.child)).join(', ')} reference${list.length === 1 ? 's' : ''} it — the data check ran the file with rows in ${list.length === 1 ? 'that table' : 'those tables'} and no row was lost and nothing failed, so ${DROP_RULE} is not reported.`,
      );
      return;
    }
    this.add({
      rule: DROP_RULE,
      file: file.relPath,
      line: text.lineAt(start),
      message:
        `DROP TABLE ${parent} while other tables reference it by foreign key: ${describe}.${repointed} ` +
        `D1 always enforces foreign keys (PRAGMA foreign_keys = OFF has no effect there), so on a database with rows the DROP's implicit DELETE ${effects.join('; and ')}. ` +
        `It passes on an empty database, so local tests do not show it. Rebuild the referencing tables in the same migration too, or avoid the rebuild (ALTER TABLE ADD/RENAME/DROP COLUMN); see drizzle-orm#4938.`,
    });
  }

  /** Foreign keys of other tables that name `parent` (one row per column). */
  private referencing(parent: string): Record<string, unknown>[] {
    return this.db.selectObjects(
      `SELECT m.name AS child, f.id AS id, f."from" AS col, upper(f.on_delete) AS onDelete
         FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
        WHERE m.type = 'table' AND f."table" = ?1 COLLATE NOCASE AND m.name <> ?1 COLLATE NOCASE
        ORDER BY m.name, f.id, f.seq`,
      [parent],
    );
  }

  private reportFailure(file: MigrationFile, text: SqlText | undefined, bookStart: number, f: Failure): void {
    const shared = this.sharedNumberNote(file);
    if (f.reportedBy && text && f.start !== undefined) {
      const first = firstLine(text.slice(f.start, f.resumeAt ?? text.statementEnd(f.start)));
      this.notes.push(
        `${file.name} fails under local wrangler at line ${text.lineAt(f.start)} (\`${first}\`: ${sentence(f.message)}) — reported as ${f.reportedBy}; the replay stops there as wrangler does.`,
      );
      return;
    }
    if (f.final || !text || f.start === undefined) {
      this.add({ rule: 'replay-error', file: file.relPath, line: f.line, message: `${sentence(f.message)}${shared}` });
      return;
    }
    const lastLine = text.lineAt(Math.max(0, bookStart - 1));
    if (f.start >= bookStart) {
      const quoteNote = file.name.includes("'")
        ? ` The file name contains a ' and wrangler (before 4.106) puts the name into that INSERT unescaped, so the INSERT is broken: rename the file.`
        : '';
      this.add({
        rule: 'replay-error',
        file: file.relPath,
        line: lastLine,
        message: `The bookkeeping row wrangler appends (INSERT INTO ${this.input.migrationsTable} (name) values ('${file.name}')) fails: ${f.message}.${quoteNote}${shared}`,
      });
      return;
    }
    const end = f.resumeAt ?? text.statementEnd(f.start);
    const first = firstLine(text.slice(f.start, Math.min(end, bookStart)));
    const line = text.lineAt(f.start);
    const errLine = f.errorOffset !== undefined && f.errorOffset >= 0 ? text.lineAt(Math.min(f.errorOffset, text.length)) : line;
    const where = errLine !== line && (f.errorOffset ?? -1) < bookStart ? ` (at line ${errLine})` : '';
    if (f.parse) {
      const runsIntoBookkeeping = (f.errorOffset ?? -1) >= bookStart || end > bookStart;
      const semicolon = runsIntoBookkeeping
        ? ` The file's last statement is not terminated by ';', so the INSERT that wrangler appends to record the migration runs into it: end the statement with ';'.`
        : '';
      this.add({ rule: 'sql-syntax', file: file.relPath, line, message: `${f.message} in \`${first}\`${where}.${semicolon}${shared}` });
      return;
    }
    if (this.brokenHistory !== undefined && !this.input.settled?.has(file.name)) {
      this.add({
        rule: 'replay-unverified',
        file: file.relPath,
        line,
        message: `${f.message} at \`${first}\`${where} — but the migrations before it do not replay (${this.brokenHistory} fails), so the schema it ran on is incomplete and the replay cannot tell whether the real database has what it needs. Preview with credentials checks it against the live schema.${shared}`,
      });
      return;
    }
    this.add({
      rule: 'replay-error',
      file: file.relPath,
      line,
      message: `${f.message} — replaying the migrations in wrangler's order on a fresh D1-like database fails at \`${first}\`${where}; wrangler stops here and rolls this file back.${shared}`,
    });
  }

  /** Files sharing the failing file's number: wrangler runs them all, in name order. */
  private sharedNumberNote(file: MigrationFile): string {
    if (file.number === null) return '';
    const same = this.input.files.filter((f) => f.number === file.number);
    if (same.length < 2) return '';
    // Date_time names of one day share the number yet run in their time order: a note only where duplicate-number
    // finds a collision or a contradicted order among them.
    if (checkDuplicateNumbers(same).length === 0) return '';
    const names = same.map((f) => f.name);
    const before = names.slice(0, names.indexOf(file.name));
    const after = names.slice(names.indexOf(file.name) + 1);
    const order = names.join(' before ');
    const consequence = after.length
      ? ` ${file.name} runs before ${after.join(', ')}, so anything it needs from ${after.length === 1 ? 'that file' : 'those files'} does not exist yet: give it a higher number.`
      : before.length
        ? ` ${file.name} runs after ${before.join(', ')}.`
        : '';
    return ` ${same.length} files share the number ${file.numberText ?? file.number}: wrangler applies ${order} (name order for equal numbers).${consequence}`;
  }

  /** Prepare-only check of a file that is not replayed: parse errors are reported, missing names are not. */
  private syntaxCheckFile(file: MigrationFile): void {
    const body = stripBom(file.sql);
    const text = new SqlText(this.sqlite3, body + bookkeepingSql(this.input.migrationsTable, file.name));
    try {
      this.syntaxCheckText(file, text, 0, Buffer.byteLength(body, 'utf8'));
    } finally {
      text.free();
    }
  }

  private syntaxCheckText(file: MigrationFile, text: SqlText, from: number, bookStart: number): void {
    const db = this.scratchDb().pointer;
    const { capi } = this.sqlite3;
    let offset = from;
    while (offset < text.length) {
      const p = text.prepare(db, offset);
      if (p.ok) {
        if (!p.stmt) return;
        capi.sqlite3_finalize(p.stmt);
        offset = p.end;
        continue;
      }
      if (isParseError(p.message)) {
        this.reportFailure(file, text, bookStart, { message: p.message, start: p.start, errorOffset: p.errorOffset, parse: true });
      }
      offset = text.statementEnd(p.start);
    }
  }

  private scratchDb(): OoDb {
    if (!this.scratch) {
      this.scratch = openD1Like(this.sqlite3);
      try {
        this.scratch.exec(createMigrationsTableSql(this.input.migrationsTable));
      } catch {
        // Already reported by run(); prepare-only checks do not need the table.
      }
    }
    return this.scratch;
  }

  /** Savepoint control: cannot fail unless the replay itself is broken, so a failure is thrown. */
  private exec(sql: string): void {
    const error = tryExec(this.sqlite3, this.db, sql);
    if (error) throw new Error(`replay: ${sql} failed: ${error}`);
  }

  /** Adds a finding with the rule's severity, or `severity` where the context decides it (double-quoted-string). */
  private add(f: FindingInput, severity?: Finding['severity']): void {
    if (this.disabled.has(f.rule)) return;
    const made = finding(f);
    this.findings.push(severity && severity !== made.severity ? { ...made, severity } : made);
  }
}

/** wrangler's statement splitter trims each statement with String#trim, which drops a leading BOM. */
function stripBom(sql: string): string {
  return sql.charCodeAt(0) === 0xfeff ? sql.slice(1) : sql;
}

function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function lineOfIndex(s: string, index: number): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i !== -1 && i < index; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
