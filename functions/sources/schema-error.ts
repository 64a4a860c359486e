import type { z } from 'zod';
import { PayloadInvalidError } from './types';

/** Parses with a zod schema, turning failure into an error that names the offending field. */
export function parseOrExplain<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [where, ...(issue?.path ?? [])].filter((part) => part !== '').join('.');
  throw new PayloadInvalidError(`${path}: ${issue?.message ?? 'invalid'}`);
}
