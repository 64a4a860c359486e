import type { Model } from '@anthropic-ai/sdk/resources/messages';
import type { ModelTier } from '../documents/kind';

/**
 * The model each tier uses unless configured otherwise: a Haiku-class model for short thread
 * replies (`fast`: incident updates, closing briefs), the Sonnet-class model for the rest
 * (`standard`). Ids are checked against the SDK's `Model` type, so a retired id fails typecheck
 * after an SDK upgrade. `ANTHROPIC_MODEL` replaces the standard one, `ANTHROPIC_MODEL_<KIND>` any
 * one kind's (functions/writer/create-writer.ts).
 */
export const DEFAULT_TIER_MODELS = {
  standard: 'claude-sonnet-5-5',
  fast: 'claude-haiku-5-5',
} as const satisfies Record<ModelTier, Model>;
