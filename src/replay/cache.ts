/**
 * The replay cache (opt-in: `cache-dir`): the state of a replay after a run of files — the replay's database,
 * the data check's twin, and what the replay reported about those files — stored under a hash of everything
 * that decides that state: the tool itself, the options that change what a replay reports, and the name and
 * content of every one of those files, in order. A later replay of the same files plus new ones restores
 * the longest stored prefix and replays only the rest; any change to an earlier file (or its order, or the
 * tool, or an option) gives a different hash, so nothing is restored. Only replays in which no file failed
 * are stored.
 *
 * The directory must not be writable by the change under review (options.ts keeps it out of the working
 * directory): an entry is trusted as what this tool stored.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { VERSION } from '../version.js';
import type { Finding, MigrationFile } from '../types.js';
import type { KeptRebuild } from './data/rebuilds.js';
import type { TwinState } from './data/twin.js';

/** Bumped whenever what an entry holds, or how it is read, changes. */
const FORMAT = 1;
const MAGIC = 'd1-migrate replay cache\n';
const SUFFIX = '.d1mc';
/** Entries kept per directory (the newest); each holds two database images, compressed. */
const KEEP = 6;

/** What a replay needs to go on after its first `files` files. */
export interface CachedReplay {
  files: number;
  main: Uint8Array;
  twin?: { image: Uint8Array; state: TwinState };
  findings: Finding[];
  notes: string[];
  replayed: string[];
  kept: (KeptRebuild & { file: string })[];
  repointed: [string, { from: string; children: string[] }][];
}

interface Header {
  format: number;
  key: string;
  files: number;
  mainBytes: number;
  twinBytes: number;
  state: Omit<CachedReplay, 'main' | 'twin' | 'files'> & { twin?: TwinState };
}

/** What decides a replay's outcome besides its files. */
export interface CacheKeyParts {
  migrationsTable: string;
  dataCheck: boolean;
  disabled: readonly string[];
  /** The SQLite build and version that will run the replay. */
  sqlite: string;
}

export class ReplayCache {
  private readonly base: string;

  constructor(
    readonly dir: string,
    parts: CacheKeyParts,
  ) {
    this.base = sha256(JSON.stringify({ FORMAT, VERSION, code: codeFingerprint(), ...parts, disabled: [...parts.disabled].sort() }));
  }

  /** The key after each file: keys[i] covers files[0..i]. */
  keys(files: MigrationFile[]): string[] {
    const out: string[] = [];
    let h = this.base;
    for (const f of files) {
      h = sha256(`${h}\u0000${f.name}\u0000${sha256(f.sql)}`);
      out.push(h);
    }
    return out;
  }

  /** The longest stored prefix of `keys` that reads back whole, if any. */
  find(keys: string[]): CachedReplay | undefined {
    let present: Set<string>;
    try {
      present = new Set(readdirSync(this.dir).filter((n) => n.endsWith(SUFFIX)).map((n) => n.slice(0, -SUFFIX.length)));
    } catch {
      return undefined; // no directory yet
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (!present.has(key)) continue;
      const entry = this.read(key, i + 1);
      if (entry) return entry;
    }
    return undefined;
  }

  /** Stores the state after `entry.files` files under `key` (written whole, then renamed into place). */
  store(key: string, entry: CachedReplay): void {
    mkdirSync(this.dir, { recursive: true });
    const twin = entry.twin?.image ?? new Uint8Array();
    const header: Header = {
      format: FORMAT,
      key,
      files: entry.files,
      mainBytes: entry.main.length,
      twinBytes: twin.length,
      state: { findings: entry.findings, notes: entry.notes, replayed: entry.replayed, kept: entry.kept, repointed: entry.repointed, ...(entry.twin && { twin: entry.twin.state }) },
    };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    // Database images are mostly empty pages: level 1 compresses them ~10× at little cost.
    const body = gzipSync(Buffer.concat([Buffer.from(MAGIC), length, json, entry.main, twin]), { level: 1 });
    const final = join(this.dir, key + SUFFIX);
    const partial = `${final}.${process.pid}.partial`;
    writeFileSync(partial, body);
    renameSync(partial, final);
    this.prune();
  }

  private read(key: string, files: number): CachedReplay | undefined {
    const path = join(this.dir, key + SUFFIX);
    try {
      const all = gunzipSync(readFileSync(path));
      if (all.subarray(0, MAGIC.length).toString() !== MAGIC) return undefined;
      const length = all.readUInt32BE(MAGIC.length);
      const start = MAGIC.length + 4;
      const header = JSON.parse(all.subarray(start, start + length).toString('utf8')) as Header;
      if (header.format !== FORMAT || header.key !== key || header.files !== files) return undefined;
      const mainAt = start + length;
      const twinAt = mainAt + header.mainBytes;
      if (twinAt + header.twinBytes !== all.length) return undefined;
      // Kept for being used: prune() drops the least recently used.
      const now = new Date();
      utimesSync(path, now, now);
      const { twin, ...state } = header.state;
      return {
        files,
        main: new Uint8Array(all.subarray(mainAt, twinAt)),
        ...(twin && { twin: { image: new Uint8Array(all.subarray(twinAt)), state: twin } }),
        ...state,
      };
    } catch {
      return undefined; // unreadable or half-written: as if absent
    }
  }

  private prune(): void {
    const entries = readdirSync(this.dir)
      .filter((n) => n.endsWith(SUFFIX))
      .map((n) => ({ n, t: statSync(join(this.dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const e of entries.slice(KEEP)) rmSync(join(this.dir, e.n), { force: true });
  }
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

let fingerprint: string | undefined;

/**
 * The code that replays: the bundle (dist/index.js or dist/cli/index.js) when bundled, so that any change
 * to the tool invalidates every entry even where the version number stays the same.
 */
function codeFingerprint(): string {
  if (fingerprint === undefined) {
    try {
      fingerprint = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
    } catch {
      fingerprint = 'unknown';
    }
  }
  return fingerprint;
}

/** One replay's use of the cache: what it restored, and after the replay, storing and the note. */
export class CacheUse {
  readonly restored: CachedReplay | undefined;
  private readonly keys: string[];

  constructor(
    private readonly cache: ReplayCache,
    private readonly files: MigrationFile[],
  ) {
    this.keys = cache.keys(files);
    this.restored = cache.find(this.keys);
  }

  /**
   * After the replay: stores its state when every file applied and some were replayed (`state` makes it), and
   * returns the note saying what happened, and whether it stored.
   */
  finish(clean: boolean, state: () => Omit<CachedReplay, 'files'>): { note: string; stored: boolean } {
    const n = this.files.length;
    const restored = this.restored?.files ?? 0;
    const dir = this.cache.dir;
    const plural = (k: number) => `${k} migration${k === 1 ? '' : 's'}`;
    const what =
      restored === n
        ? `all ${plural(n)} restored from ${dir} (unchanged since a run that stored them); none replayed`
        : restored > 0
          ? `the first ${restored} of ${plural(n)} restored from ${dir} (unchanged since a run that stored them); ${n - restored} replayed`
          : `no stored replay in ${dir} matches these migrations; all ${n} replayed`;
    if (restored === n) return { note: `Replay cache: ${what}.`, stored: false };
    if (!clean) return { note: `Replay cache: ${what}; nothing stored (a migration failed).`, stored: false };
    try {
      this.cache.store(this.keys[n - 1]!, { files: n, ...state() });
      return { note: `Replay cache: ${what}; this replay was stored for the next run.`, stored: true };
    } catch (e) {
      return { note: `Replay cache: ${what}; storing this replay failed: ${(e as Error).message}.`, stored: false };
    }
  }
}
