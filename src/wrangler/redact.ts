import type { Options } from '../types.js';

const MIN_SECRET_LENGTH = 6;

/** The values that must never appear in captured output: tokens and the webhook URL (account ids are not secret). */
export function secretsOf(options: Partial<Options>, env: NodeJS.ProcessEnv = {}): string[] {
  const values = [options.cloudflareApiToken, env.CLOUDFLARE_API_TOKEN, options.githubToken, options.notifyWebhook];
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH))];
}

/** Replaces every occurrence of each secret with `***` (longest first, so a secret containing another goes whole). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('***');
  }
  return out;
}
