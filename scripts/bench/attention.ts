import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { benchP1Latency, benchSlackBack } from './attention-backlog';
import { benchModelCallsPerDocument } from './attention-burst';
import { benchAttentionBudget, benchStorm } from './attention-day';
import type { Figure } from './figures';

/**
 * Issue 18's figures, one bench group each (all named `attention …`, so `scripts/bench.ts attention`
 * runs them alone): one model call per document under a burst of redeliveries, one roll-up per
 * storm, the backlog moving once Slack is back, the VP's daily attention budget, and a P1 brief
 * ahead of 200 waiting documents.
 */
export function attentionGroups(dynamoEndpoint: string, db: DynamoDBDocumentClient): [string, () => Promise<Figure[]>][] {
  return [
    ['attention: model calls per document', () => benchModelCallsPerDocument(db)],
    ['attention: storm', () => benchStorm(db)],
    ['attention: Slack back', () => benchSlackBack(db)],
    ["attention: the VP's day", () => benchAttentionBudget(db)],
    ['attention: P1 behind a backlog', () => benchP1Latency(dynamoEndpoint, db)],
  ];
}
