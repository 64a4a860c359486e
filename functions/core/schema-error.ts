import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini ships without messages (every issue reads "Invalid input"); the English ones cost a few
// KB and keep each reason as clear as full zod's ("expected string, received undefined"). Every
// module that puts a zod issue into words goes through this one, so the messages are always set.
z.config(en());

/** Any zod schema, full or mini: both are built on zod's core. */
export type Schema = z.core.$ZodType;

/**
 * Parses with a zod schema, turning failure into the caller's error type with a message that
 * names the offending field (`payload.actions.0.value: required`), which a sender can act on.
 */
export function explainParse<T extends Schema>(
  schema: T,
  value: unknown,
  where: string,
  toError: (message: string) => Error,
  params?: z.core.ParseContext<z.core.$ZodIssue>,
): z.core.output<T> {
  const result = z.safeParse(schema, value, params);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw toError(issue ? describeIssue(issue, where) : `${where}: invalid`);
}

/** One issue as `<where>.<path>: <message>`; `root` names the place when both are empty. */
export function describeIssue(issue: z.core.$ZodIssue, where = '', root = ''): string {
  const path = [where, ...issue.path.map(String)].filter((part) => part !== '').join('.');
  return `${path || root}: ${issue.message}`;
}

/** Every issue of a failed parse, described as by describeIssue, joined by `; `. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], where = '', root = ''): string {
  return issues.map((issue) => describeIssue(issue, where, root)).join('; ');
}
