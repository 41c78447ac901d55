/**
 * Replays migrations on an in-process SQLite that behaves like local D1 (workerd) does under
 * `wrangler d1 migrations apply --local`: each file plus wrangler's bookkeeping INSERT runs atomically, foreign
 * keys are enforced, double-quoted strings are accepted, and the first failing file stops the run.
 *
 * It runs on node:sqlite where the running Node has it (db/node.ts) and on the WASM build otherwise. What
 * node:sqlite cannot do exactly (a failing statement's offset, some double-quoted strings) makes the replay
 * move to the WASM build — the database copied as it was before the file — and redo the file there, so every
 * finding is the same on both.
 */
import { finding, type FindingInput } from '../finding.js';
import { DATA_LOSS_RULES } from '../rule-catalog.js';
import { parseMigration } from '../sql/split.js';
import type { ParsedMigration } from '../sql/types.js';
import type { Finding, MigrationFile, SchemaObject } from '../types.js';
import { classifyStatement, mayClassify, type StatementKind } from './classify.js';
import { addColumn, rowsHoldConstraints } from './alter.js';
import { CacheUse, ReplayCache, type CachedReplay } from './cache.js';
import type { DataCheckOutcome } from './data/check.js';
import { DataCheckDriver, wasmWork } from './data/driver.js';
import type { TwinImage } from './data/runner.js';
import type { KeptRebuild } from './data/rebuilds.js';
import { NeedsWasm, replayBackend, wasm, type Backend, type Control, type SqlDb, type Stmt } from './db/index.js';
import { doubleQuotedFinding, doubleQuotedLiterals } from './double-quoted.js';
import { dropReferenced, Repointed } from './drop-referenced.js';
import { describeFailure, noStatementFailure, type Failure } from './failure.js';
import { readSchema, seedSchema } from './schema.js';
import { eachStatement, isParseError, SqlText } from './statements.js';
import type { ReplayInput, ReplayResult } from './types.js';
import { createMigrationsTableSql, SEVERAL_TRANSACTIONS_MESSAGE, wranglerFileText, wranglerTrim } from './wrangler-text.js';

export type { ReplayInput, ReplayResult } from './types.js';
export { startTwinEarly } from './data/parallel.js';

const SAVEPOINT = 'd1_migrate_replay';
const DQS_RULE = 'double-quoted-string';
const DROP_RULE = 'drop-referenced-table';
const OTHER: StatementKind = { kind: 'other' };

/** What workerd answers for transaction control (local wrangler fails the file with it). */
const D1_TRANSACTION_MESSAGE =
  'To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements';

export async function replayMigrations(input: ReplayInput): Promise<ReplayResult> {
  // A replay on a live schema (a few pending files) stays on the WASM build: seeding a schema read from D1
  // may need double-quoted strings in DDL.
  const work = wasmWork(input);
  const backend = input.base || input.sqlite === 'wasm' ? await wasm(work) : await replayBackend(work);
  const replayer = new Replayer(backend, input);
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
  private db: SqlDb;
  private scratch: SqlDb | undefined;
  /** No file turns CHECKs off or edits the schema by hand (alter.ts: rowsHoldConstraints). */
  private readonly rowsHoldConstraints: boolean;
  /** An empty connection for alter.ts. */
  private alterScratch: SqlDb | undefined;
  private readonly findings: Finding[] = [];
  private readonly notes: string[] = [];
  private readonly disabled: Set<string>;
  private readonly repointed = new Repointed();
  /** SAVEPOINT / RELEASE of the per-file transaction, prepared once. */
  private savepoint: Control;
  private release: Control;
  private dataCheck: DataCheckDriver | undefined;
  private readonly parsed: Map<string, ParsedMigration>;
  /** The first settled file that failed: the schema later files run on is incomplete from then on. */
  private brokenHistory: string | undefined;
  private readonly kept: (KeptRebuild & { file: string })[] = [];
  /** The file at which the replay moved to the WASM build. */
  private movedAt: string | undefined;
  /** Names of the files that applied, in order (restored ones first). */
  private readonly replayed: string[] = [];

  constructor(
    private backend: Backend,
    private readonly input: ReplayInput,
  ) {
    this.disabled = input.disabled ?? new Set();
    this.rowsHoldConstraints = rowsHoldConstraints(input.files);
    this.db = backend.open();
    this.savepoint = this.db.control(`SAVEPOINT ${SAVEPOINT}`);
    this.release = this.db.control(`RELEASE ${SAVEPOINT}`);
    this.parsed = new Map((input.parsed ?? []).map((p) => [p.file.name, p]));
  }

  close(): void {
    this.savepoint.close();
    this.release.close();
    this.dataCheck?.close();
    this.db.close();
    this.scratch?.close();
    this.alterScratch?.close();
  }

  async run(): Promise<ReplayResult> {
    const dataRulesOn = [...DATA_LOSS_RULES].some((r) => !this.disabled.has(r));
    const dataCheck = this.input.dataCheck === true && dataRulesOn;
    // The cache key names the SQLite builds that made it (the data check's is the WASM build's).
    const cache = this.input.cacheDir === undefined ? undefined : this.openCache(dataCheck, dataCheck ? (await wasm(wasmWork(this.input))).version : undefined);
    const hit = cache?.restored;
    if (hit) this.restore(hit);
    const opts = { exactAlter: this.input.exactAlter === true, rowsHoldConstraints: this.rowsHoldConstraints };
    if (dataCheck) this.dataCheck = await DataCheckDriver.start(this.input, () => this.db, this.notes, opts, hit?.files ?? 0, hit?.twin);
    const result = await this.replayFiles(hit?.files ?? 0);
    const fileNotes = [...result.notes];
    const clean = result.failedAt === undefined && this.brokenHistory === undefined;
    const end = await this.dataCheck?.finish(cache !== undefined && clean);
    // The data check's run-wide note (tables it could not fill) comes after the notes of the files.
    result.notes.push(...(end?.notes ?? []));
    const cached = cache?.finish(clean, () => this.snapshot(fileNotes, end?.twin));
    if (cached) result.notes.push(cached.note);
    return {
      ...result,
      ...(cached && { cache: { restored: hit?.files ?? 0, stored: cached.stored } }),
      ...(this.dataCheck?.dataSeed !== undefined && { dataSeed: this.dataCheck.dataSeed }),
      ...(this.dataCheck?.dataFill !== undefined && { dataFill: this.dataCheck.dataFill }),
      ...(this.kept.length > 0 && { keptRebuilds: this.kept }),
      engine: {
        sqlite: this.backend.name,
        version: this.backend.version,
        ...(this.movedAt !== undefined && { movedToWasmAt: this.movedAt }),
        ...(this.dataCheck && { twin: this.dataCheck.where }),
      },
    };
  }

  /** The cache, where asked for and exact (not on a live schema, not while dumping rows for the tests). */
  private openCache(dataCheck: boolean, wasmVersion: string | undefined): CacheUse | undefined {
    const { cacheDir, base, dumpDataBefore, exactAlter, files, migrationsTable } = this.input;
    if (cacheDir === undefined || files.length === 0 || base || dumpDataBefore !== undefined || exactAlter) return undefined;
    const sqlite = `${this.backend.version}${wasmVersion ? ` / ${wasmVersion}` : ''}`;
    return new CacheUse(new ReplayCache(cacheDir, { migrationsTable, dataCheck, disabled: [...this.disabled], sqlite }), files);
  }

  /** Goes on from a stored state instead of replaying its files. */
  private restore(hit: CachedReplay): void {
    this.replaceDb(this.backend.openImage(hit.main));
    this.findings.push(...hit.findings);
    this.notes.push(...hit.notes);
    this.replayed.push(...hit.replayed);
    this.kept.push(...hit.kept);
    this.repointed.restore(hit.repointed);
  }

  /** The state to store after the last file (`fileNotes`: the notes of the files, without run-wide ones). */
  private snapshot(fileNotes: string[], twin: TwinImage | undefined): Omit<CachedReplay, 'files'> {
    return {
      main: this.db.serialize(),
      ...(twin && { twin }),
      findings: [...this.findings],
      notes: fileNotes,
      replayed: [...this.replayed],
      kept: [...this.kept],
      repointed: this.repointed.entries(),
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

  private async replayFiles(from: number): Promise<Omit<ReplayResult, 'engine'>> {
    const { files, migrationsTable } = this.input;
    const replayed = this.replayed;
    const notes = this.notes;
    const baseErrors = this.input.base ? seedSchema(this.db, this.input.base) : undefined;
    if (this.input.base) this.dataCheck?.markOutOfSync();
    const withBase = <T extends Omit<ReplayResult, 'engine'>>(r: T): T => (baseErrors ? { ...r, baseErrors } : r);
    const createError = this.db.tryExec(createMigrationsTableSql(migrationsTable));
    if (createError) {
      this.add({
        rule: 'replay-error',
        message: `wrangler cannot create its migrations table ${migrationsTable}: ${createError}. Check migrations_table in the wrangler config.`,
      });
      return withBase({ findings: this.findings, schema: [], replayed, failedAt: undefined, notReplayed: files.map((f) => f.name), notes });
    }

    for (let i = from; i < files.length; i++) {
      const file = files[i]!;
      await this.checkpoint();
      if (await this.applyFile(file, i)) {
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
  private async applyFile(file: MigrationFile, index: number): Promise<boolean> {
    const { full, bookStart } = wranglerFileText(file, this.input.migrationsTable);
    const trimmed = wranglerTrim(full);
    if (!trimmed.ok) {
      await this.moveToWasm(file);
      this.reportFailure(file, undefined, bookStart, {
        message: `local wrangler refuses this file before running it: "${SEVERAL_TRANSACTIONS_MESSAGE.split('\n')[0]}" — the text "BEGIN TRANSACTION" still occurs after wrangler removed the first "BEGIN TRANSACTION;" (even inside a comment it counts). D1 runs each migration in a transaction already: remove every BEGIN TRANSACTION/COMMIT.`,
        parse: false,
        final: true,
        line: lineOfIndex(full, trimmed.index),
      });
      this.syntaxCheckFile(file);
      return false;
    }
    const text = new SqlText(trimmed.sql);
    try {
      const data = await this.dataCheck?.run(file, index, text, () => this.parsed.get(file.name) ?? parseMigration(file));
      const findings = this.findings.length;
      const notes = this.notes.length;
      let applied: boolean;
      try {
        applied = this.applyText(file, text, bookStart, data);
      } catch (e) {
        if (!(e instanceof NeedsWasm)) throw e;
        // Redo the file on the WASM build, from the database as it was before the file.
        this.findings.length = findings;
        this.notes.length = notes;
        await this.moveToWasm(file);
        applied = this.applyText(file, text, bookStart, data);
      }
      if (applied && data?.follow) this.dataCheck?.follow(text);
      return applied;
    } finally {
      text.free();
    }
  }

  /** The file's statements in one transaction; false (after reporting) when it fails. */
  private applyText(file: MigrationFile, text: SqlText, bookStart: number, data: DataCheckOutcome | undefined): boolean {
    const beginError = this.savepoint.run();
    if (beginError) throw new Error(`replay: SAVEPOINT ${SAVEPOINT} failed: ${beginError}`);
    let failure: Failure | undefined;
    try {
      let statements = 0;
      const walk = eachStatement(this.db, text, 0, (stmt, start, end) => (statements++, this.runStatement(file, text, stmt, start, end, data)));
      if ('failed' in walk) failure = { ...walk.failed, parse: isParseError(walk.failed.message) };
      else if ('stopped' in walk) failure = walk.stopped;
      else if (statements === 0) failure = noStatementFailure(text, bookStart);
      if (!failure) {
        // The outermost RELEASE commits, which is where deferred foreign keys are checked — as at the end of
        // D1's per-file transaction.
        const commitError = this.release.run();
        if (commitError) {
          failure = {
            message: `${commitError} when the file's transaction commits (deferred foreign key checks: PRAGMA defer_foreign_keys or DEFERRABLE INITIALLY DEFERRED keys)`,
            parse: false,
            final: true,
          };
        }
      }
    } catch (e) {
      this.rollback();
      throw e;
    }
    if (failure) {
      this.rollback();
      // A failing file is the WASM build's to report: its messages carry the offsets.
      if (this.db.backend !== 'wasm') throw new NeedsWasm('a failing file');
      this.reportFailure(file, text, bookStart, failure);
      if (failure.start !== undefined) this.syntaxCheckText(file, text, failure.resumeAt ?? text.statementEnd(failure.start), bookStart);
      return false;
    }
    // Data findings count only for a file that applies: one that fails anyway is reported as failing.
    for (const f of data?.findings ?? []) this.add(f);
    this.notes.push(...(data?.notes ?? []));
    for (const k of data?.kept ?? []) this.kept.push({ ...k, file: file.relPath });
    return true;
  }

  /** Ends the file's transaction without its changes (after a failure, or to redo it elsewhere). */
  private rollback(): void {
    this.exec(`ROLLBACK TO ${SAVEPOINT}`);
    this.exec(`RELEASE ${SAVEPOINT}`);
  }

  /** Closes the database (and its savepoint statements) and goes on with `db`. */
  private replaceDb(db: SqlDb): void {
    this.savepoint.close();
    this.release.close();
    this.db.close();
    this.db = db;
    this.savepoint = db.control(`SAVEPOINT ${SAVEPOINT}`);
    this.release = db.control(`RELEASE ${SAVEPOINT}`);
  }

  /** Continues on the WASM build, from a copy of the database as it is (between files). */
  private async moveToWasm(file: MigrationFile): Promise<void> {
    if (this.db.backend === 'wasm') return;
    this.movedAt = file.name;
    const next = await wasm();
    const image = this.db.serialize();
    this.backend = next;
    this.replaceDb(next.openImage(image));
    this.scratch?.close();
    this.scratch = undefined;
    this.alterScratch?.close();
    this.alterScratch = undefined;
  }

  /** Executes one prepared statement; returns the failure, if any. */
  private runStatement(file: MigrationFile, text: SqlText, stmt: Stmt, start: number, end: number, data: DataCheckOutcome | undefined): Failure | undefined {
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
        if (!this.disabled.has(DROP_RULE) && (!kind.schema || kind.schema.toLowerCase() === 'main')) this.checkDropReferenced(file, text, start, kind.table, data);
        break;
      default:
        break;
    }
    if (!this.disabled.has(DQS_RULE) && text.hasByte(start, end, 0x22)) this.checkDoubleQuoted(file, text, start, end);
    const moved = kind.kind === 'rename-table' && !this.disabled.has(DROP_RULE) ? this.repointed.before(this.db, kind.from) : [];
    if (kind.kind === 'add-column' && !this.input.exactAlter) {
      const scratch = () => (this.alterScratch ??= this.backend.open());
      if (addColumn(this.db, scratch, { table: kind.table, schema: kind.schema, sql: text.slice(start, end) }, { rowsHoldConstraints: this.rowsHoldConstraints })) return undefined;
    }
    const error = stmt.run();
    if (error !== undefined) return { message: error, start, parse: false, resumeAt: end };
    if (kind.kind === 'rename-table') this.repointed.renamed(kind.from, kind.to, moved);
    return undefined;
  }

  /** Double-quoted names SQLite reads as text (double-quoted.ts): an error where they overwrite every row. */
  private checkDoubleQuoted(file: MigrationFile, text: SqlText, start: number, end: number): void {
    const sql = text.slice(start, end);
    const literals = doubleQuotedLiterals(this.db, text, start, end, sql);
    if (literals.length === 0) return;
    const line = text.lineAt(start);
    const f = doubleQuotedFinding(file, text, start, sql, literals, (name) => this.dataCheck?.literalRows(line, name));
    if (f) this.add(f, f.severity);
  }

  private checkDropReferenced(file: MigrationFile, text: SqlText, start: number, table: string, data: DataCheckOutcome | undefined): void {
    const line = text.lineAt(start);
    const r = dropReferenced(
      {
        db: this.db,
        file,
        line,
        repointed: this.repointed,
        // The data check ran this file to its end with rows in every referencing table: what it saw beats the
        // prediction (the children may be dropped or emptied before, or copied before the DROP).
        provenHarmless: (children) => !!data?.complete && !!this.dataCheck?.covers(children) && !data.findings.some((f) => f.line === line),
      },
      table,
    );
    if (r.note) this.notes.push(r.note);
    if (r.finding) this.add(r.finding);
  }

  private reportFailure(file: MigrationFile, text: SqlText | undefined, bookStart: number, f: Failure): void {
    const r = describeFailure(
      { files: this.input.files, migrationsTable: this.input.migrationsTable, brokenHistory: this.brokenHistory, settled: this.input.settled },
      file,
      text,
      bookStart,
      f,
    );
    if ('note' in r) this.notes.push(r.note);
    else this.add(r.finding);
  }

  /** Prepare-only check of a file that is not replayed: parse errors are reported, missing names are not. */
  private syntaxCheckFile(file: MigrationFile): void {
    const { full, bookStart } = wranglerFileText(file, this.input.migrationsTable);
    const text = new SqlText(full);
    try {
      this.syntaxCheckText(file, text, 0, bookStart);
    } finally {
      text.free();
    }
  }

  /** Runs on the WASM build only (after a failure, which moved the replay there). */
  private syntaxCheckText(file: MigrationFile, text: SqlText, from: number, bookStart: number): void {
    const db = this.scratchDb();
    let offset = from;
    while (offset < text.length) {
      const p = db.prepare(text, offset);
      if (p.ok) {
        if (!p.stmt) return;
        p.stmt.finalize();
        offset = p.end;
        continue;
      }
      if (isParseError(p.message)) {
        this.reportFailure(file, text, bookStart, { message: p.message, start: p.start, errorOffset: p.errorOffset, parse: true });
      }
      offset = text.statementEnd(p.start);
    }
  }

  private scratchDb(): SqlDb {
    if (!this.scratch) {
      this.scratch = this.backend.open();
      // Already reported by run() when it fails; prepare-only checks do not need the table.
      this.scratch.tryExec(createMigrationsTableSql(this.input.migrationsTable));
    }
    return this.scratch;
  }

  /** Savepoint control: cannot fail unless the replay itself is broken, so a failure is thrown. */
  private exec(sql: string): void {
    const error = this.db.tryExec(sql);
    if (error) throw new Error(`replay: ${sql} failed: ${error}`);
  }

  /** Adds a finding with the rule's severity, or `severity` where the context decides it (double-quoted-string). */
  private add(f: FindingInput, severity?: Finding['severity']): void {
    if (this.disabled.has(f.rule)) return;
    const made = finding(f);
    this.findings.push(severity && severity !== made.severity ? { ...made, severity } : made);
  }
}

function lineOfIndex(s: string, index: number): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i !== -1 && i < index; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
