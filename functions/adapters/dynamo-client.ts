import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** How long one client may spend on a call: per connection, per attempt, attempts, and in all. */
export interface DynamoCallLimits {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  /** Whole call, retries and backoff included: past it the call fails with a TimeoutError. */
  deadlineMs: number;
}

/**
 * The ingest path's limits: a webhook sender wants an answer within seconds (Slack 3 s,
 * PagerDuty 5 s), so a DynamoDB that cannot be reached must turn into a 503 within a second
 * rather than the SDK's defaults (no request timeout; and without `throwOnRequestTimeout` an
 * overrun is only logged, never thrown). A healthy DynamoDB answers in milliseconds; the
 * per-attempt timeout is generous because DynamoDB Local on a busy laptop is not.
 */
export const INGEST_DYNAMO_LIMITS: DynamoCallLimits = { connectionTimeoutMs: 200, requestTimeoutMs: 850, maxAttempts: 2, deadlineMs: 900 };

/**
 * The local runtime's: DynamoDB Local (Java, one SQLite file) on a loaded laptop takes over a
 * second per call at times, which is slow, not down. A stopped DynamoDB refuses connections and
 * still answers 503 at once; only a hanging one waits out the longer deadline.
 */
export const LOCAL_INGEST_DYNAMO_LIMITS: DynamoCallLimits = { connectionTimeoutMs: 500, requestTimeoutMs: 2400, maxAttempts: 2, deadlineMs: 2500 };

/**
 * A document client for AWS (no endpoint) or DynamoDB Local (endpoint set). DynamoDB Local
 * accepts any credentials, so fixed dummy ones spare developers an AWS profile.
 */
export function createDocumentClient(options: { endpoint?: string; region?: string; limits?: DynamoCallLimits } = {}): DynamoDBDocumentClient {
  const local = options.endpoint !== undefined;
  const { limits } = options;
  const client = new DynamoDBClient({
    endpoint: options.endpoint,
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: limits?.maxAttempts ?? 3,
    ...(limits
      ? { requestHandler: { connectionTimeout: limits.connectionTimeoutMs, requestTimeout: limits.requestTimeoutMs, throwOnRequestTimeout: true } }
      : {}),
  });
  if (limits) {
    // Outermost step, so the deadline covers every attempt and the backoff between them.
    client.middlewareStack.add((next) => (args) => withDeadline(next(args), limits.deadlineMs), { step: 'initialize', name: 'callDeadline', priority: 'high' });
  }
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`DynamoDB call exceeded its ${ms} ms deadline`), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}
