import { describe, expect, it } from 'vitest';
import { isHiringQuestion, recognise } from '../../functions/ask/intents';

describe('what the code-built answerer recognises', () => {
  it('a request to draft is a draft, unless it is about hiring: then the hiring rules apply', () => {
    expect(recognise("draft a note for the CFO about last night's checkout incident").topic).toBe('draft');
    expect(recognise('Please write an email to the E-staff about the outage').topic).toBe('draft');
    expect(isHiringQuestion('draft a note for the CFO about the offer to Fictional Candidate')).toBe(true);
    expect(isHiringQuestion('write a message to the candidates stuck at onsite')).toBe(true);
  });

  it('a question that only mentions writing is still the question it is', () => {
    expect(recognise("write me a summary of this week's incidents").topic).toBe('incidents');
    expect(recognise('who will write the post-mortem for the outage?').topic).toBe('incidents');
    expect(recognise('how much error budget is left this month?')).toEqual({ topic: 'availability', period: 'this_month' });
  });
});
