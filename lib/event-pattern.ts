import type { EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import type { EventPattern } from '../functions/core/routing';

// CDK names the envelope fields in camelCase and renders them back to EventBridge's names.
const cdkFieldNames: Record<string, keyof CdkEventPattern> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

/**
 * Converts a routing-table pattern to CDK's shape. Values pass through untouched (CDK only
 * renames the keys back), so the synthesized pattern equals the routing table's.
 */
export function toCdkEventPattern(pattern: EventPattern): CdkEventPattern {
  const converted: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(pattern)) {
    const cdkName = cdkFieldNames[field];
    if (cdkName === undefined) throw new Error(`Event pattern field "${field}" is not an EventBridge envelope field`);
    converted[cdkName] = value;
  }
  return converted as CdkEventPattern;
}
