import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { benchP1Latency, benchSlackBack } from './attention-backlog';
import { benchModelCallsPerDocument } from './attention-burst';
import { benchAttentionBudget, benchStorm } from './attention-day';
import type { Figure } from './figures';

/**
 * Issue 18's figures: one model call per document under a burst of redeliveries, a P1 brief
 * ahead of 200 waiting documents, the backlog moving once Slack is back, one roll-up per
 * storm, and the VP's daily attention budget. Each part prints its figures as it finishes.
 */
export async function benchAttention(dynamoEndpoint: string, db: DynamoDBDocumentClient): Promise<Figure[]> {
  const figures: Figure[] = [];
  const part = async (run: () => Promise<Figure[]>) => {
    const done = await run();
    for (const f of done) console.error(`bench: ${f.id} = ${f.value} ${f.unit}${f.target === undefined ? '' : ` (target ${f.better === 'lower' ? '≤' : '≥'} ${f.target})`}`);
    figures.push(...done);
  };
  await part(() => benchModelCallsPerDocument(db));
  await part(() => benchStorm(db));
  await part(() => benchSlackBack(db));
  await part(() => benchAttentionBudget(db));
  await part(() => benchP1Latency(dynamoEndpoint, db));
  return figures;
}
