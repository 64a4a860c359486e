import fc from 'fast-check';
import { expect } from 'vitest';
import { type CanonicalEvent, canonicalEventSchema } from '../../functions/core/canonical-event';
import { type Headers, type Normalized, PayloadInvalidError } from '../../functions/sources/types';

/** What every source's `normalize` looks like. */
export type Normalize = (payload: unknown, deliveryId: string) => Normalized;

/** The events a payload normalises to, each checked against the canonical schema; fails when ignored. */
export function normalizedEvents(normalize: Normalize, payload: unknown, deliveryId: string): CanonicalEvent[] {
  const result = normalize(payload, deliveryId);
  if (result.ignored) throw new Error(`unexpectedly ignored: ${result.reason}`);
  for (const event of result.events) expect(canonicalEventSchema.parse(event)).toEqual(event);
  return result.events;
}

/** The message of the PayloadInvalidError a payload must cause. */
export function rejectionOf(normalize: Normalize, payload: unknown): string {
  try {
    normalize(payload, 'd');
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadInvalidError);
    return (error as Error).message;
  }
  throw new Error('expected PayloadInvalidError');
}

/**
 * The contract every `normalize` keeps for any input: a PayloadInvalidError, or events that
 * pass the canonical schema; any other exception fails the property.
 */
export function keepsNormalizeContract(normalize: Normalize, deliveryId = 'prop-delivery') {
  return (payload: unknown): boolean => {
    try {
      const result = normalize(payload, deliveryId);
      if (!result.ignored) for (const event of result.events) canonicalEventSchema.parse(event);
      return true;
    } catch (error) {
      if (error instanceof PayloadInvalidError) return true;
      throw error;
    }
  };
}

/**
 * Property: a body verifies with its own signature, and changing any single byte of it
 * makes the same signature fail.
 */
export function assertSingleByteChangesFail(
  sign: (body: Uint8Array) => Headers,
  verify: (body: Uint8Array, headers: Headers) => boolean,
  maxLength = 300,
): void {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, position, flip) => {
      const headers = sign(bytes);
      const changed = Uint8Array.from(bytes);
      const at = position % changed.length;
      changed[at] = (changed[at] ?? 0) ^ flip;
      return verify(bytes, headers) && !verify(changed, headers);
    }),
  );
}
