import type Anthropic from '@anthropic-ai/sdk';
import { kindSpecs } from '../documents/registry';
import { formatInstant } from '../core/durations';
import type { TokenUsage, WriteUsage } from '../ports/writer';
import { DOCUMENT_JSON_SCHEMA, describeError, modelDocumentSchema, type WriterBudget, type WriterLog } from '../writer/claude-writer';
import { PERSONA } from '../writer/persona';
import { addUsage, estimateCostUsd, NO_USAGE } from '../writer/pricing';
import { encodeAsData } from '../writer/prompt';
import { type Answer, ANSWER_KIND, distinctLinks } from './answer';
import { answerEvidence, answerProblems } from './answer-checks';
import type { AnswerRequest, Answerer } from './answerer';
import { ASK_INSTRUCTIONS, correctionMessage, historyMessages, questionMessage } from './ask-prompt';
import { ASK_TOOLS, type ToolOutput } from './tools';

export interface ClaudeAnswererOptions {
  client: Anthropic;
  model: string;
  /** The code-built answerer: used when the model fails, its answer fails twice, or the budget is spent. */
  fallback: Answerer;
  /** Tool calls per question (ASK_MAX_TOOL_CALLS). */
  maxToolCalls: number;
  budget?: WriterBudget;
  /** For the whole question, every call included; under the worker's timeout. Default 40 s. */
  deadlineMs?: number;
  maxTokens?: number;
  log?: WriterLog;
}

/**
 * Answers with Claude and the read-only tools: a tool-use loop of at most `maxToolCalls` tool
 * calls, then the answer as the same JSON document every writer produces. The answer is
 * checked against the tools' results (the grounding check, claims to have acted, quoted
 * instructions); a failing answer gets one corrective call without tools, and a second failure,
 * an API failure or a spent daily budget hands the question to the code-built answerer. The
 * question travels fenced as data; no tool can act, whatever it says. Links come from the tools.
 */
export class ClaudeAnswerer implements Answerer {
  constructor(private readonly options: ClaudeAnswererOptions) {}

  async answer(request: AnswerRequest): Promise<Answer> {
    const { budget } = this.options;
    const day = budget?.clock.now().toISOString().slice(0, 10);
    if (budget && day && (await this.budgetSpent(budget, day))) {
      await this.quietly(() => budget.ledger.recordBudgetFallback(day));
      return this.fallback(request, 'daily_token_budget_reached', {});
    }
    const state = { usage: NO_USAGE as TokenUsage, calls: 0 };
    const violations: string[] = [];
    const extras = () => ({ usage: this.usageOf(state.usage, state.calls), violations });
    try {
      const result = await this.converse(request, state, violations);
      return result.ok
        ? { ...result.answer, usage: this.usageOf(state.usage, state.calls), ...(violations.length > 0 ? { violations } : {}) }
        : await this.fallback(request, result.reason, extras());
    } catch (error) {
      this.log('ask.claude_error', { error: describeError(error) });
      return this.fallback(request, describeError(error), extras());
    } finally {
      if (budget && day && state.calls > 0) {
        const spent = this.usageOf(state.usage, state.calls);
        await this.quietly(() => budget.ledger.record(day, state.usage, spent.estimatedCostUsd, state.calls));
      }
    }
  }

  private async converse(
    request: AnswerRequest,
    state: { usage: TokenUsage; calls: number },
    violations: string[],
  ): Promise<{ ok: true; answer: Answer } | { ok: false; reason: string }> {
    const { client, model, maxToolCalls } = this.options;
    const signal = AbortSignal.timeout(this.options.deadlineMs ?? 40_000);
    const tools = ASK_TOOLS.filter((tool) => !tool.hiring || request.hiringAllowed);
    const toolDefinitions: Anthropic.Tool[] = tools.map((tool, i) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
      // The tools are the same for every question of the same kind of asker: cached with the system prompt.
      ...(i === tools.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
    }));
    const askedAt = formatInstant(request.reads.now.toISOString());
    const messages: Anthropic.MessageParam[] = [...historyMessages(request.history), { role: 'user', content: questionMessage(request.question, askedAt) }];
    const outputs: ToolOutput[] = [];
    let toolCalls = 0;
    let corrected = false;
    // Each round is one model call: tool rounds, the answer, and at most one correction.
    for (let round = 0; round < maxToolCalls + 3; round += 1) {
      const noMoreTools = toolCalls >= maxToolCalls || corrected;
      const message = await client.messages.create(
        {
          model,
          max_tokens: this.options.maxTokens ?? kindSpecs[ANSWER_KIND].maxOutputTokens,
          system: [
            { type: 'text', text: PERSONA },
            { type: 'text', text: ASK_INSTRUCTIONS, cache_control: { type: 'ephemeral' } },
          ],
          tools: toolDefinitions,
          tool_choice: noMoreTools ? { type: 'none' } : { type: 'auto' },
          messages,
          output_config: { format: { type: 'json_schema', schema: DOCUMENT_JSON_SCHEMA } },
        },
        { signal },
      );
      state.calls += 1;
      state.usage = addUsage(state.usage, {
        inputTokens: message.usage?.input_tokens ?? 0,
        outputTokens: message.usage?.output_tokens ?? 0,
        cacheWriteTokens: message.usage?.cache_creation_input_tokens ?? 0,
        cacheReadTokens: message.usage?.cache_read_input_tokens ?? 0,
      });
      if (message.stop_reason === 'tool_use') {
        const uses = message.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
        const results: Anthropic.ToolResultBlockParam[] = [];
        for (const use of uses) {
          if (toolCalls >= maxToolCalls) {
            results.push({ type: 'tool_result', tool_use_id: use.id, is_error: true, content: 'Tool call limit reached: answer with what you have.' });
            continue;
          }
          toolCalls += 1;
          const tool = tools.find((t) => t.name === use.name);
          if (!tool) {
            results.push({ type: 'tool_result', tool_use_id: use.id, is_error: true, content: `No tool named ${encodeAsData(use.name)} is available.` });
            continue;
          }
          try {
            const output = await tool.run(use.input, request.reads);
            outputs.push(output);
            results.push({ type: 'tool_result', tool_use_id: use.id, content: encodeAsData(output.result) });
          } catch (error) {
            this.log('ask.tool_failed', { tool: tool.name, error: error instanceof Error ? error.name : 'error' });
            results.push({ type: 'tool_result', tool_use_id: use.id, is_error: true, content: 'The tool failed or its input was invalid.' });
          }
        }
        messages.push({ role: 'assistant', content: message.content }, { role: 'user', content: results });
        continue;
      }
      if (message.stop_reason !== 'end_turn')
        return { ok: false, reason: message.stop_reason === 'refusal' ? 'refusal' : `stop_reason_${String(message.stop_reason)}` };
      const text = message.content
        .filter((block): block is Anthropic.TextBlock => block.type === 'text')
        .map((block) => block.text)
        .join('');
      const draft = parseDraft(text);
      if (!draft) return { ok: false, reason: 'invalid_json' };
      const problems = answerProblems(draft, answerEvidence(outputs, request.history, askedAt));
      if (problems.length === 0) {
        return { ok: true, answer: { ...draft, links: distinctLinks(outputs.flatMap((output) => output.links)), answeredBy: `claude:${model}` } };
      }
      violations.push(...problems.map((problem) => `draft ${corrected ? 2 : 1}: ${problem}`));
      this.log('ask.answer_rejected', { problems: problems.length, corrected });
      if (corrected) return { ok: false, reason: 'grounding_failed' };
      corrected = true;
      messages.push({ role: 'assistant', content: text }, { role: 'user', content: correctionMessage(problems) });
    }
    return { ok: false, reason: 'too_many_rounds' };
  }

  private async fallback(request: AnswerRequest, reason: string, extras: { usage?: WriteUsage; violations?: string[] }): Promise<Answer> {
    this.log('ask.fallback', { reason });
    const answer = await this.options.fallback.answer(request);
    return {
      ...answer,
      fallbackReason: reason,
      ...(extras.usage && extras.usage.calls > 0 ? { usage: extras.usage } : {}),
      ...(extras.violations && extras.violations.length > 0 ? { violations: extras.violations } : {}),
    };
  }

  private async budgetSpent(budget: WriterBudget, day: string): Promise<boolean> {
    try {
      return (await budget.ledger.spend(day)).totalTokens >= budget.dailyTokens;
    } catch {
      // The cap is a cost guard, not a gate: an unreadable ledger does not stop answers.
      return false;
    }
  }

  private usageOf(usage: TokenUsage, calls: number): WriteUsage {
    return { model: this.options.model, calls, ...usage, estimatedCostUsd: estimateCostUsd(this.options.model, usage) };
  }

  private async quietly(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.log('ask.ledger_failed', { error: error instanceof Error ? error.name : 'error' });
    }
  }

  private log(message: string, detail: object): void {
    try {
      this.options.log?.(message, detail);
    } catch {
      // A broken logger must not break answering.
    }
  }
}

function parseDraft(text: string): { headline: string; sections: { heading: string; body: string }[] } | undefined {
  try {
    const parsed = modelDocumentSchema.safeParse(JSON.parse(text));
    return parsed.success ? { headline: parsed.data.headline, sections: parsed.data.sections.map((s) => ({ heading: s.heading, body: s.body })) } : undefined;
  } catch {
    return undefined;
  }
}
