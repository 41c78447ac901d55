/** How every log line, message and heading names one database of one environment: `production · DB`. */
export function databaseLabel(db: { environment: string | null; binding: string; databaseName?: string }, opts: { name?: boolean } = {}): string {
  const base = `${db.environment ?? 'top level'} · ${db.binding}`;
  return opts.name && db.databaseName !== undefined ? `${base} (${db.databaseName})` : base;
}
