import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (CloudWatch in AWS, stdout locally). Never pass secret values in. */
export const logger = new Logger({ serviceName: 'exec-eng-lead' });

/** Logging callback in the shape the domain modules accept; a call may name a level other than the default. */
export function logTo(level: 'info' | 'warn' | 'error') {
  return (message: string, detail: object = {}, at: 'info' | 'warn' | 'error' = level) => logger[at](message, { ...detail });
}
