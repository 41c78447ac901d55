/**
 * A problem with how the tool was called or configured: a bad input value, a config file that cannot be
 * read, a database that is not declared. The action fails the step with the message; the CLI exits 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Message of anything thrown, including non-Error values (a thrown string must not pass silently). */
export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  // Errors from another realm (a VM context, a worker) are not `instanceof Error` here but still have a message.
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
