import type { WriteRequest, Writer, WrittenDocument } from '../functions/ports/writer';
import type { ClaudeWriter } from '../functions/writer/claude-writer';
import { encodeAsData } from '../functions/writer/prompt';
import { TemplateWriter } from '../functions/writer/template-writer';
import { type FakeAnthropic, type FakeReply, messageReply, userMessageText } from './fake-anthropic';

/**
 * The real ClaudeWriter against the fake Messages API, where the "model" answers each request
 * with the template writer's document for the same facts: a well-behaved model whose drafts
 * are grounded, so any extra Messages API call is the service's own doing. Drafts are looked
 * up by the facts block of the prompt, so any number of documents may be written at once.
 */
export class TemplateModelWriter implements Writer {
  private readonly drafts = new Map<string, Pick<WrittenDocument, 'headline' | 'sections'>>();
  private readonly template = new TemplateWriter();

  constructor(
    fake: FakeAnthropic,
    private readonly claude: ClaudeWriter,
    options: { delayMs?: number } = {},
  ) {
    fake.otherwise((request): FakeReply => {
      const draft = this.drafts.get(factsOf(userMessageText(request)));
      if (!draft) return { type: 'error', status: 400, message: 'fake model: no draft for these facts', headers: { 'x-should-retry': 'false' } };
      return messageReply(draft, options.delayMs ? { delayMs: options.delayMs } : {});
    });
  }

  async write(request: WriteRequest): Promise<WrittenDocument> {
    const { headline, sections } = await this.template.write(request);
    this.drafts.set(encodeAsData(request.facts), { headline, sections });
    return this.claude.write(request);
  }
}

function factsOf(message: string): string {
  const start = message.indexOf('<facts>\n');
  const end = message.indexOf('\n</facts>', start);
  return start < 0 || end < 0 ? '' : message.slice(start + '<facts>\n'.length, end);
}
