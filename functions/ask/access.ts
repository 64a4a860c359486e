import type { AskConfig } from './ask-config';
import { isHiringQuestion } from './intents';

/** Who may ask what, decided before anything is read. */
export type Access = { allowed: true; hiring: boolean } | { allowed: false; reason: 'not-allowed' | 'hiring-not-viewer' | 'hiring-in-channel' };

/**
 * Anyone not in ASK_ALLOWED_USER_IDS is refused. A hiring question (candidates, stages, offers)
 * is answered only for HIRING_VIEWER_IDS and only in a direct message; the hiring tool is
 * offered to the model under the same two conditions, so another question cannot reach it.
 */
export function decideAccess(user: string, channelType: string, question: string, config: Pick<AskConfig, 'allowedUserIds' | 'hiringViewerIds'>): Access {
  if (!config.allowedUserIds.includes(user)) return { allowed: false, reason: 'not-allowed' };
  const viewer = config.hiringViewerIds.includes(user);
  const direct = channelType === 'im';
  if (isHiringQuestion(question)) {
    if (!viewer) return { allowed: false, reason: 'hiring-not-viewer' };
    if (!direct) return { allowed: false, reason: 'hiring-in-channel' };
  }
  return { allowed: true, hiring: viewer && direct };
}

/** The one short, polite refusal for each reason: it names no figure and reads nothing. */
export function refusalText(reason: Extract<Access, { allowed: false }>['reason']): { headline: string; body: string } {
  switch (reason) {
    case 'not-allowed':
      return {
        headline: 'Sorry, I can only answer the engineering leadership team.',
        body: 'Questions to me are limited to the people this service reports to. Please ask your manager or the VP of Engineering’s office.',
      };
    case 'hiring-not-viewer':
      return {
        headline: 'Sorry, hiring questions are limited to the hiring team.',
        body: 'Candidate and offer information is shared only with the people allowed to see it.',
      };
    case 'hiring-in-channel':
      return {
        headline: 'Please ask me about hiring in a direct message.',
        body: 'Candidate and offer information stays out of channels. Send me the same question as a direct message and I will answer there.',
      };
  }
}
