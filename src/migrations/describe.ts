import type { MigrationFile } from '../types.js';

/** `1st`, `2nd`, `3rd`, `11th`, `22nd`. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/** "applied 3rd of 10, after 0002_b.sql and before 0004_d.sql" for `files[index]` (files in apply order). */
export function describePosition(files: readonly { name: string }[], index: number): string {
  const parts = [`${ordinal(index + 1)} of ${files.length}`];
  const around: string[] = [];
  const before = files[index - 1];
  const after = files[index + 1];
  if (before) around.push(`after ${before.name}`);
  if (after) around.push(`before ${after.name}`);
  if (around.length > 0) parts.push(around.join(' and '));
  return parts.join(', ');
}

/** The next unused number, padded to the width the set uses (`0007` after `0006_x.sql`). */
export function nextFreeNumber(files: readonly MigrationFile[]): string {
  let max = 0;
  let width = 4;
  let sawNumber = false;
  for (const f of files) {
    if (f.number === null || f.numberText === null) continue;
    if (!sawNumber || f.number >= max) {
      max = f.number;
      width = f.numberText.length;
      sawNumber = true;
    }
  }
  const next = String(sawNumber ? max + 1 : 1);
  return next.length >= width ? next : next.padStart(width, '0');
}
