import type { Writer } from '../ports/writer';
import { ClaudeWriter, createAnthropicClient } from './claude-writer';
import { TemplateWriter } from './template-writer';

export interface WriterConfig {
  /** Without a key the template writer is used: the product runs with no network. */
  apiKey?: string;
  baseURL?: string;
  model: string;
  log?: (message: string, detail?: object) => void;
}

/** Picks the writer: Claude with the template as fallback when a key is set, the template otherwise. */
export function createWriter(config: WriterConfig): Writer {
  const template = new TemplateWriter();
  if (!config.apiKey) return template;
  const client = createAnthropicClient({ apiKey: config.apiKey, baseURL: config.baseURL });
  return new ClaudeWriter({ client, model: config.model, fallback: template, log: config.log });
}
