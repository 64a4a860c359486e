import type * as z from 'zod';
import { explainParse } from '../core/schema-error';
import { PayloadInvalidError } from './types';

/** Parses a webhook payload with a zod schema; a failure is a PayloadInvalidError (400) naming the field. */
export function parseOrExplain<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  return explainParse(schema, value, where, (message) => new PayloadInvalidError(message));
}
