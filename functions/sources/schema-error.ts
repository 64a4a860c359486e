import type * as z from 'zod/mini';
import { explainParse, type Schema } from '../core/schema-error';
import { PayloadInvalidError } from './types';

/** Parses a webhook payload with a zod schema; a failure is a PayloadInvalidError (400) naming the field. */
export function parseOrExplain<T extends Schema>(schema: T, value: unknown, where: string): z.core.output<T> {
  return explainParse(schema, value, where, (message) => new PayloadInvalidError(message));
}
