import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { defineDocumentKind, DocumentFactsError, fact } from '../../functions/documents/kind';
import { createDocumentRegistry, documentKinds, DOCUMENT_KINDS, kindSpecs, OUTBOX_KINDS, validateFacts } from '../../functions/documents/registry';
import type { WriteRequest } from '../../functions/ports/writer';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { incidentFactsWith } from '../support/write-requests';

/** A kind that exists only here: one module (this object) and one line (the list below). */
const shipRoomNote = defineDocumentKind({
  kind: 'ship-room.note',
  spec: { purpose: 'a note from the ship room', requiredSections: ['Shipped'], maxChars: 400, urgency: 'routine', model: 'fast', maxOutputTokens: 200 },
  facts: z.object({ release: fact.text, services: fact.list }),
  template: ({ facts }) => ({ headline: `Release ${facts.release}`, sections: [{ heading: 'Shipped', body: facts.services.join(', ') }] }),
});

describe('the document registry', () => {
  it('derives the kind list, the specs and the outbox kinds from its one list', () => {
    expect(DOCUMENT_KINDS).toEqual(documentKinds.map((module) => module.kind));
    expect(Object.keys(kindSpecs)).toEqual([...DOCUMENT_KINDS]);
    expect(OUTBOX_KINDS).toEqual(expect.arrayContaining([...DOCUMENT_KINDS, 'escalation.notice', 'approval.reminder']));
  });

  it('takes a made-up kind from one module and one line: template writer, facts check and urgency follow', async () => {
    const registry = createDocumentRegistry([...documentKinds, shipRoomNote] as never);
    const request = {
      kind: 'ship-room.note',
      facts: { release: '2026.12.1', services: ['checkout', 'search'] },
      untrusted: {},
      links: [],
    } as unknown as WriteRequest;
    const document = await new TemplateWriter(registry).write(request);
    expect(document).toMatchObject({ kind: 'ship-room.note', headline: 'Release 2026.12.1', sections: [{ heading: 'Shipped', body: 'checkout, search' }] });
    expect(registry.defaultUrgency('ship-room.note')).toBe('routine');
    expect(() => registry.validateFacts('ship-room.note', { release: '2026.12.1' })).toThrow(
      'ship-room.note facts are invalid: services: missing (expected array)',
    );
  });

  it('refuses a write request that forgets a fact, naming the kind and the field', async () => {
    const { incident: _dropped, ...withoutIncident } = incidentFactsWith({ priority: 'P1' });
    const request = { kind: 'incident.brief', facts: withoutIncident, untrusted: { title: 'Checkout down' }, links: [] } as unknown as WriteRequest;
    await expect(new TemplateWriter().write(request)).rejects.toThrow(DocumentFactsError);
    expect(() => validateFacts('incident.brief', withoutIncident)).toThrow('incident.brief facts are invalid: incident: missing (expected string)');
    expect(() => validateFacts('digest', { period: 'today', incidents: 'none' })).toThrow(
      /digest facts are invalid: incidents: expected array; availability: missing/,
    );
  });
});
