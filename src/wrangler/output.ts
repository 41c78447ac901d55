/** Reading what wrangler prints: colour codes off, the JSON of `--json`, the lines of its error blocks. */

// wrangler colours its error blocks even with NO_COLOR/FORCE_COLOR=0 (esbuild's message formatter).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export type JsonOutput = { kind: 'results'; results: QueryResult[] } | { kind: 'error'; text: string; notes: string[]; code?: number } | { kind: 'object'; value: Record<string, unknown> };

export interface QueryResult {
  results: Record<string, unknown>[];
  success?: boolean;
}

/**
 * Parses the JSON document `wrangler ... --json` prints on stdout: `[{"results":[...]}]` on success,
 * `{"error":{"text","notes"}}` on failure, or a plain object (time-travel). Banner lines before it are
 * skipped. Returns undefined when stdout holds no JSON.
 */
export function parseJsonOutput(stdout: string): JsonOutput | undefined {
  const text = stripAnsi(stdout);
  const start = text.search(/^[[{]/m);
  if (start < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start));
  } catch {
    return undefined;
  }
  if (Array.isArray(value)) {
    const results = (value as unknown[]).map((r): QueryResult => {
      const q = r as { results?: unknown; success?: boolean } | null | undefined;
      return { results: Array.isArray(q?.results) ? (q.results as Record<string, unknown>[]) : [], success: q?.success };
    });
    return { kind: 'results', results };
  }
  if (value && typeof value === 'object') {
    const error = (value as { error?: unknown }).error;
    if (error && typeof error === 'object') {
      const e = error as { text?: unknown; notes?: { text?: unknown }[]; code?: unknown };
      return {
        kind: 'error',
        text: textOf(e.text ?? ''),
        notes: Array.isArray(e.notes) ? e.notes.map((n) => textOf(n?.text ?? '')).filter(Boolean) : [],
        code: typeof e.code === 'number' ? e.code : undefined,
      };
    }
    return { kind: 'object', value: value as Record<string, unknown> };
  }
  return undefined;
}

/**
 * A value from wrangler's JSON as text: a string as it is, anything else as JSON writes it (a number or
 * `null` reads the same as String() gives; an object does not collapse into "[object Object]").
 */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

const NOISE = [/^If you think this is a bug/, /^🪵\s+Logs were written/, /^Logs were written/, /^$/];

/**
 * The message of wrangler's `✘ [ERROR]` blocks (and the notes under them), one array of lines per block
 * (its head line first), without the "if you think this is a bug" footer.
 */
export function errorBlocks(output: string): string[][] {
  const lines = stripAnsi(output).split(/\r?\n/);
  const blocks: string[][] = [];
  let block: string[] | undefined;
  for (const raw of lines) {
    const line = raw.trimEnd();
    const head = /^✘\s*\[ERROR\]\s*(.*)$/.exec(line);
    if (head) {
      block = [];
      blocks.push(block);
      if (head[1]) block.push(head[1].trim());
      continue;
    }
    if (!block) continue;
    if (/^\S/.test(line) && !/^🪵|^Logs were/.test(line)) {
      block = undefined;
      continue;
    }
    const text = line.trim();
    if (NOISE.some((re) => re.test(text))) continue;
    block.push(text);
  }
  return blocks.filter((b) => b.length > 0);
}
