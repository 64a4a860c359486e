import { INCIDENT_KEY_PREFIXES } from '../adapters/dynamo-incidents';
import { OUTBOX_KEY_PREFIXES } from '../adapters/dynamo-outbox';
import { SPEND_KEY_PREFIXES } from '../adapters/dynamo-token-ledger';
import { WRITE_CLAIM_KEY_PREFIXES } from '../adapters/dynamo-write-claims';

/**
 * What CDK and the escalation handler agree on: the variables only this function gets, and
 * the table partitions it may touch (its IAM grant is limited to these leading keys).
 */
export const ESCALATION_LAMBDA_ENV = {
  scheduleGroup: 'ESCALATION_SCHEDULE_GROUP',
  // ARNs, but not named `*_ARN`: that suffix means "a secret's ARN" in this code base.
  schedulerRoleArn: 'ESCALATION_SCHEDULER_ROLE',
  timerDeadLetterArn: 'ESCALATION_TIMER_DEAD_LETTER_QUEUE',
} as const;

/**
 * Incident timelines, approvals (read back when one expires), its own records, the outbox (its
 * documents are delivered from here too), the day's model spend.
 */
export const ESCALATION_TABLE_PARTITIONS = [
  ...INCIDENT_KEY_PREFIXES,
  'APPROVAL#*',
  'ESCALATION#*',
  'ESCALATIONS#STORM',
  ...OUTBOX_KEY_PREFIXES,
  ...SPEND_KEY_PREFIXES,
  ...WRITE_CLAIM_KEY_PREFIXES,
] as const;
