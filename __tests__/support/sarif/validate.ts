import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// The OASIS schema is JSON Schema draft-04, which ajv 8 reads through ajv-draft-04; its uri and date-time
// formats are checked by ajv-formats.
const Ajv04 = require('ajv-draft-04') as new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null } };
const addFormats = require('ajv-formats') as (ajv: unknown) => void;

const schema = JSON.parse(fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv04({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema's errors for a SARIF log; empty when it is valid SARIF 2.1.0. */
export function sarifSchemaErrors(log: unknown): unknown[] {
  return validate(log) ? [] : [...(validate.errors ?? [])];
}
