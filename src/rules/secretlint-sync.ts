import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';

/**
 * Runs the scanner rules of @secretlint/secretlint-rule-preset-recommend synchronously.
 *
 * Why not `lintSource()` from @secretlint/core: it returns a Promise, while static rules are synchronous
 * (`StaticRule.check(): Finding[]`). The preset's rules are plain synchronous `file(source)` handlers written
 * against secretlint's public rule API (create(context) → { file(source) }, context.report), so we drive them
 * directly with a minimal context. A test checks that this finds what `lintSource()` finds.
 */
interface Report {
  message: { message: string; messageId: string };
  range: readonly [number, number];
}
interface RuleLike {
  meta: { id: string; type: string };
  create(context: unknown, options: unknown): { file?(source: unknown): unknown };
}

export interface SecretMatch {
  ruleId: string;
  message: string;
  start: number;
  end: number;
}

// filter-comments reads secretlint-disable comments of a real source file; it has nothing to do on literals.
const SCANNERS = (recommendedRules as unknown as RuleLike[]).filter((r) => r.meta.type === 'scanner' && !r.meta.id.endsWith('filter-comments'));

function translator(messages: Record<string, unknown>) {
  return (messageId: string, props?: unknown) => {
    const handler = messages[messageId];
    const localized = handler && typeof handler === 'object' ? (handler as Record<string, unknown>)['en'] : handler;
    const message = typeof localized === 'function' ? String((localized as (p?: unknown) => unknown)(props)) : typeof localized === 'string' ? localized : messageId;
    return { message, messageId, data: props };
  };
}

/** Scan `content` (text, not a file on disk) with every recommended secretlint scanner. */
export function scanForSecrets(content: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  const source = {
    content,
    filePath: '',
    ext: '.sql',
    contentType: 'text',
    indexToPosition: () => ({ line: 1, column: 0 }),
    locationToRange: () => [0, 0],
  };
  for (const rule of SCANNERS) {
    const context = {
      sharedOptions: {},
      createTranslator: translator,
      report: (d: Report) => found.push({ ruleId: rule.meta.id, message: d.message.message, start: d.range[0], end: d.range[1] }),
      ignore: () => undefined,
    };
    rule.create(context, {}).file?.(source);
  }
  return found;
}
