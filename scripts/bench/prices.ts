/**
 * Public list prices used by `npm run bench`'s cost figures: us-east-1, on-demand, US dollars,
 * as remembered on PRICES_DATE from the AWS pricing pages. ASSUMPTIONS TO CHECK against
 * https://aws.amazon.com/pricing/ before quoting any figure; free tiers are not subtracted.
 */
export const PRICES_DATE = '2026-12-01';

export const PRICES = {
  dynamodb: {
    /** On-demand, per million write request units (1 KB each; transactional writes count twice). */
    writeRequestUnitPerMillion: 0.625,
    /** On-demand, per million read request units (4 KB strongly consistent; eventually consistent counts half). */
    readRequestUnitPerMillion: 0.125,
  },
  lambda: {
    /** Arm (Graviton) duration, per GB-second; INIT time is billed too (since August 2025). */
    armGbSecond: 0.0000133334,
    requestPerMillion: 0.2,
  },
  /** Custom events published, per million (each 64 KB chunk is one event). */
  eventBridgePerMillionEvents: 1.0,
  /** EventBridge Scheduler invocations, per million (the first 14 million a month are free). */
  schedulerPerMillionInvocations: 1.0,
  /** API Gateway HTTP API, per million requests (first 300 million a month). */
  httpApiPerMillionRequests: 1.0,
  secretsManager: {
    perSecretMonth: 0.4,
    perTenThousandCalls: 0.05,
  },
} as const;
