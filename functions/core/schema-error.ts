import type * as z from 'zod';

/**
 * Parses with a zod schema, turning failure into the caller's error type with a message that
 * names the offending field (`payload.actions.0.value: required`), which a sender can act on.
 */
export function explainParse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
  toError: (message: string) => Error,
  params?: Parameters<T['safeParse']>[1],
): z.infer<T> {
  const result = schema.safeParse(value, params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [where, ...(issue?.path ?? []).map(String)].filter((part) => part !== '').join('.');
  throw toError(`${path}: ${issue?.message ?? 'invalid'}`);
}
