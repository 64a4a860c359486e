import type { HttpRequest } from '../../functions/core/http';
import { signPagerDutyBody } from '../../functions/sources/pagerduty/verify';

export const FAKE_PAGERDUTY_SECRET = 'fake-pagerduty-secret-for-tests';

/** A PagerDuty delivery signed the way PagerDuty signs it. */
export function signedPagerDutyRequest(body: string, deliveryId: string, secret = FAKE_PAGERDUTY_SECRET): HttpRequest {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-webhook-id': deliveryId,
      'x-pagerduty-signature': signPagerDutyBody(body, [secret]),
    },
    body: Buffer.from(body, 'utf8'),
  };
}
