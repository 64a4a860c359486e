import { logger } from '../core/logger';
import { systemClock } from '../ports/clock';
import { approvals, bus } from './approval-deps';
import { expireOverdue } from './expiry';

/** EventBridge Scheduler target: expires every pending approval past its deadline. */
export async function handler(): Promise<void> {
  const expired = await expireOverdue({ approvals, bus, clock: systemClock });
  logger.info('approval expiry ran', { expired: expired.length });
}
