import type Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_TIER_MODELS } from '../functions/writer/model-tiers';
import { DOCUMENT_KINDS, type DocumentKind, type TokenUsage, type WrittenDocument } from '../functions/ports/writer';
import { ClaudeWriter, createAnthropicClient } from '../functions/writer/claude-writer';
import { documentLength, kindSpecs, missingSections } from '../functions/writer/document-kinds';
import { checkGrounding, describeViolation } from '../functions/writer/grounding';
import { addUsage, NO_USAGE } from '../functions/writer/pricing';
import { buildUserMessage } from '../functions/writer/prompt';
import { TemplateWriter } from '../functions/writer/template-writer';
import {
  errorReply,
  type FakeAnthropic,
  type FakeReply,
  messageReply,
  type RecordedRequest,
  startFakeAnthropic,
  userMessageText,
} from '../local/fake-anthropic';
import { type EvalScenario, type FakeTurn, SCENARIOS } from './scenarios';

/** Stand-in key for the fake; never sent anywhere but 127.0.0.1. */
const FAKE_API_KEY = 'fake-anthropic-key-for-eval';

export interface EvalOptions {
  scenarios?: readonly EvalScenario[];
  /** Use the real Messages API with this key; the scripted replies are then ignored. */
  apiKey?: string;
  /** Real API only: defaults to ANTHROPIC_BASE_URL, then the SDK default. */
  baseURL?: string;
  model?: string;
  /** Fake only: a running fake to use (the caller stops it); otherwise one is started and stopped. */
  fake?: FakeAnthropic;
}

/** One model call, as the writer's usage log reports it. */
export interface CallUsage extends TokenUsage {
  scenario: string;
  kind: DocumentKind;
}

export interface EvalRow {
  name: string;
  kind: DocumentKind;
  writer: 'claude' | 'template' | 'none';
  fallbackReason: string | null;
  /** Model calls that returned a message (the writer's count). */
  calls: number;
  /** HTTP attempts the fake saw for this scenario, retries included; null against the real API. */
  httpRequests: number | null;
  /** Problems found in the first draft (grounding and structure). */
  firstDraftViolations: number;
  /** Every problem the writer recorded, one line each. */
  recordedViolations: string[];
  /** `checkGrounding` re-run on the final document against the request. */
  finalViolations: string[];
  sectionsPresent: boolean;
  missingSections: string[];
  length: number;
  maxChars: number;
  usage: TokenUsage;
  /** `mustNotContain` strings found in the final document. */
  leaks: string[];
  /** Against the fake: whether the outcome is the one the scenario was built to show. */
  expectation: 'met' | 'missed' | 'n/a';
  expectationNote: string | null;
  document: WrittenDocument;
}

export interface KindSummary {
  kind: DocumentKind;
  documents: number;
  /** Documents for which at least one model call returned. */
  modelDocuments: number;
  /** Per model-written (or model-attempted) document. */
  avgInputTokens: number;
  avgOutputTokens: number;
  avgCacheWriteTokens: number;
  avgCacheReadTokens: number;
  /** Calls of this kind after the run's first call. */
  repeatCalls: number;
  /** cache read / (cache read + cache write + input) over those calls; null without calls. */
  cacheReadShare: number | null;
}

export interface EvalResult {
  mode: 'fake' | 'live';
  model: string;
  /** Where the client sent its requests. */
  endpoint: string;
  rows: EvalRow[];
  calls: CallUsage[];
  kinds: KindSummary[];
  /** Over every call after the run's first. */
  overallCacheReadShare: number | null;
  /** Why the run fails (exit code 1): a final document with violations or missing sections. */
  failures: string[];
  /** Worth a look but not failing: missed expectations, leaks, length overruns. */
  warnings: string[];
  /** Planted text that reached a final document in a scenario that documents a known gap. */
  knownGaps: string[];
  elapsedMs: number;
}

/**
 * Runs every scenario, one after another, through ClaudeWriter (template fallback) against the
 * fake Messages API on 127.0.0.1, or the real API when a key is given, and scores the results.
 */
export async function runEval(options: EvalOptions = {}): Promise<EvalResult> {
  const started = performance.now();
  const scenarios = options.scenarios ?? SCENARIOS;
  const live = !!options.apiKey;
  const model = options.model ?? DEFAULT_TIER_MODELS.standard;
  const byMessage = indexScenarios(scenarios);

  let fake: FakeAnthropic | undefined;
  let ownFake = false;
  const httpRequests = new Map<string, number>();
  if (!live) {
    fake = options.fake;
    if (!fake) {
      fake = await startFakeAnthropic();
      ownFake = true;
    }
    fake.otherwise((request) => scriptedReply(request, byMessage, httpRequests));
  }

  try {
    const client = live
      ? createAnthropicClient({ apiKey: options.apiKey ?? '', baseURL: options.baseURL, timeoutMs: 60_000, maxRetries: 2 })
      : createAnthropicClient({ apiKey: FAKE_API_KEY, baseURL: fake?.baseURL, timeoutMs: 2000, maxRetries: 2 });
    const template = new TemplateWriter();
    const calls: CallUsage[] = [];
    const rows: EvalRow[] = [];
    for (const scenario of scenarios) {
      const writer = new ClaudeWriter({
        client,
        model,
        // One model for every kind: the eval compares drafts, not tiers.
        models: Object.fromEntries(DOCUMENT_KINDS.map((kind) => [kind, model])),
        fallback: template,
        deadlineMs: live ? 120_000 : 10_000,
        log: (msg, detail) => {
          if (msg === 'claude_writer.usage') calls.push({ scenario: scenario.name, kind: scenario.kind, ...usageFromLog(detail) });
        },
      });
      const document = await writer.write(scenario.request);
      rows.push(score(scenario, document, live ? null : (httpRequests.get(scenario.name) ?? 0), live));
    }
    const kinds = summarise(rows, calls);
    return {
      mode: live ? 'live' : 'fake',
      model,
      endpoint: endpointOf(client),
      rows,
      calls,
      kinds,
      overallCacheReadShare: cacheReadShare(calls.slice(1)),
      failures: rows.flatMap(failuresOf),
      warnings: rows.flatMap((row, i) => warningsOf(row, scenarios[i])),
      knownGaps: rows.flatMap((row, i) => {
        const gap = scenarios[i]?.knownGap;
        return gap && row.leaks.length > 0 ? [`${row.name}: ${row.leaks.map((l) => `"${l}"`).join(', ')} reached the reader: ${gap}`] : [];
      }),
      elapsedMs: performance.now() - started,
    };
  } finally {
    if (ownFake) await fake?.stop();
  }
}

/** First user message → scenario; two scenarios with the same request could not be told apart. */
function indexScenarios(scenarios: readonly EvalScenario[]): Map<string, EvalScenario> {
  const byMessage = new Map<string, EvalScenario>();
  const names = new Set<string>();
  for (const scenario of scenarios) {
    if (scenario.request.kind !== scenario.kind)
      throw new Error(`eval scenario "${scenario.name}": request.kind is ${scenario.request.kind}, not ${scenario.kind}`);
    if (names.has(scenario.name)) throw new Error(`eval scenario "${scenario.name}" is defined twice`);
    names.add(scenario.name);
    const message = buildUserMessage(scenario.request);
    const other = byMessage.get(message);
    if (other) throw new Error(`eval scenarios "${other.name}" and "${scenario.name}" send the same request`);
    byMessage.set(message, scenario);
  }
  return byMessage;
}

/**
 * The fake's answer, chosen by the scenario the request belongs to (its first user message)
 * and the turn (one message: first call; more: the corrective call). Stateless per request, so
 * concurrent scenarios could not mix either.
 */
function scriptedReply(request: RecordedRequest, byMessage: Map<string, EvalScenario>, counts: Map<string, number>): FakeReply {
  const scenario = byMessage.get(userMessageText(request));
  if (!scenario) {
    return errorReply(400, { message: 'eval: request matches no scenario', headers: { 'x-should-retry': 'false' } });
  }
  counts.set(scenario.name, (counts.get(scenario.name) ?? 0) + 1);
  const messages = (request.body as { messages?: unknown[] } | undefined)?.messages ?? [];
  const script = scenario.modelReplies;
  const turn = messages.length > 1 ? (script.corrective ?? script.first) : script.first;
  return replyFor(turn);
}

function replyFor(turn: FakeTurn): FakeReply {
  if ('draft' in turn) return messageReply(turn.draft);
  if ('rawText' in turn) return messageReply(turn.rawText);
  return errorReply(turn.errorStatus);
}

function usageFromLog(detail: object | undefined): TokenUsage {
  const d = (detail ?? {}) as Partial<Record<keyof TokenUsage, unknown>>;
  const n = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return { inputTokens: n(d.inputTokens), outputTokens: n(d.outputTokens), cacheWriteTokens: n(d.cacheWriteTokens), cacheReadTokens: n(d.cacheReadTokens) };
}

function endpointOf(client: Anthropic): string {
  return client.baseURL;
}

function writerOf(document: WrittenDocument): EvalRow['writer'] {
  if (document.writer.startsWith('claude:')) return 'claude';
  return document.writer === 'template' ? 'template' : 'none';
}

function score(scenario: EvalScenario, document: WrittenDocument, httpRequests: number | null, live: boolean): EvalRow {
  const recorded = document.violations ?? [];
  const missing = missingSections(scenario.kind, document);
  const readerText = [document.headline, ...document.sections.flatMap((s) => [s.heading, s.body])].join('\n');
  const leaks = (scenario.mustNotContain ?? []).filter((text) => readerText.toLowerCase().includes(text.toLowerCase()));
  const row: EvalRow = {
    name: scenario.name,
    kind: scenario.kind,
    writer: writerOf(document),
    fallbackReason: document.fallbackReason ?? null,
    calls: document.usage?.calls ?? 0,
    httpRequests,
    firstDraftViolations: recorded.filter((line) => line.startsWith('draft 1:')).length,
    recordedViolations: recorded,
    finalViolations: checkGrounding(document, scenario.request).map(describeViolation),
    sectionsPresent: missing.length === 0,
    missingSections: missing,
    length: documentLength(document),
    maxChars: kindSpecs[scenario.kind].maxChars,
    usage: document.usage
      ? {
          inputTokens: document.usage.inputTokens,
          outputTokens: document.usage.outputTokens,
          cacheWriteTokens: document.usage.cacheWriteTokens,
          cacheReadTokens: document.usage.cacheReadTokens,
        }
      : NO_USAGE,
    leaks,
    expectation: 'n/a',
    expectationNote: null,
    document,
  };
  if (!live) {
    const misses = expectationMisses(scenario, row);
    row.expectation = misses.length === 0 ? 'met' : 'missed';
    row.expectationNote = misses.length === 0 ? null : misses.join('; ');
  }
  return row;
}

function expectationMisses(scenario: EvalScenario, row: EvalRow): string[] {
  const { expect } = scenario;
  const misses: string[] = [];
  if (row.writer !== expect.writer) misses.push(`writer ${row.writer}, expected ${expect.writer}`);
  if ((expect.fallbackReason ?? null) !== row.fallbackReason) {
    misses.push(`fallback ${row.fallbackReason ?? 'none'}, expected ${expect.fallbackReason ?? 'none'}`);
  }
  if (expect.firstDraftRejected !== row.firstDraftViolations > 0) {
    misses.push(expect.firstDraftRejected ? 'first draft passed, expected it rejected' : `first draft rejected: ${row.recordedViolations.join(' | ')}`);
  }
  if (scenario.knownGap && row.leaks.length === 0) misses.push('the known gap no longer reproduces: update the scenario');
  return misses;
}

function failuresOf(row: EvalRow): string[] {
  const failures = row.finalViolations.map((v) => `${row.name}: final document: ${v}`);
  if (!row.sectionsPresent) failures.push(`${row.name}: final document misses ${row.missingSections.map((s) => `"${s}"`).join(', ')}`);
  return failures;
}

function warningsOf(row: EvalRow, scenario: EvalScenario | undefined): string[] {
  const warnings: string[] = [];
  if (row.expectation === 'missed') warnings.push(`${row.name}: not the outcome the scenario is built for: ${row.expectationNote ?? ''}`);
  if (row.leaks.length > 0 && !scenario?.knownGap)
    warnings.push(`${row.name}: final document contains planted text: ${row.leaks.map((l) => `"${l}"`).join(', ')}`);
  if (row.length > row.maxChars) warnings.push(`${row.name}: ${row.length} characters, over the ${row.maxChars} limit`);
  return warnings;
}

/** cache read / (cache read + cache write + input), or null when nothing was read or sent. */
export function cacheReadShare(calls: readonly TokenUsage[]): number | null {
  const total = calls.reduce(addUsage, NO_USAGE);
  const denominator = total.cacheReadTokens + total.cacheWriteTokens + total.inputTokens;
  return denominator > 0 ? total.cacheReadTokens / denominator : null;
}

function summarise(rows: readonly EvalRow[], calls: readonly CallUsage[]): KindSummary[] {
  // The run's first call writes the cache; everything after it can read it.
  const repeat = calls.slice(1);
  return DOCUMENT_KINDS.map((kind) => {
    const ofKind = rows.filter((row) => row.kind === kind);
    const modelRows = ofKind.filter((row) => row.calls > 0);
    const total = modelRows.map((row) => row.usage).reduce(addUsage, NO_USAGE);
    const avg = (value: number) => (modelRows.length > 0 ? value / modelRows.length : 0);
    const repeatOfKind = repeat.filter((call) => call.kind === kind);
    return {
      kind,
      documents: ofKind.length,
      modelDocuments: modelRows.length,
      avgInputTokens: avg(total.inputTokens),
      avgOutputTokens: avg(total.outputTokens),
      avgCacheWriteTokens: avg(total.cacheWriteTokens),
      avgCacheReadTokens: avg(total.cacheReadTokens),
      repeatCalls: repeatOfKind.length,
      cacheReadShare: cacheReadShare(repeatOfKind),
    };
  });
}
