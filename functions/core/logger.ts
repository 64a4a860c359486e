import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (CloudWatch in AWS, stdout locally). Never pass secret values in. */
export const logger = new Logger({ serviceName: 'exec-eng-lead' });

/** Logging callback in the shape the domain modules accept. */
export function logTo(level: 'info' | 'warn' | 'error') {
  return (message: string, detail: object = {}) => logger[level](message, { ...detail });
}
