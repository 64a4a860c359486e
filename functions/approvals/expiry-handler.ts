import { instrumented } from '../core/lambda-handler';
import { logger } from '../core/logger';
import { systemClock } from '../ports/clock';
import { approvals, bus } from './approval-deps';
import { expireOverdue, remindUndecided } from './expiry';

/** EventBridge Scheduler target: expires every pending approval past its deadline, reminds those past half of it. */
// One run per Scheduler tick: the minute it ran names it.
export const handler = instrumented(
  () => `approval-expiry:${new Date().toISOString().slice(0, 16)}`,
  async (): Promise<void> => {
    const expired = await expireOverdue({ approvals, bus, clock: systemClock });
    const reminded = await remindUndecided({ approvals, bus, clock: systemClock });
    logger.info('approval expiry ran', { expired: expired.length, reminded: reminded.length });
  },
);
