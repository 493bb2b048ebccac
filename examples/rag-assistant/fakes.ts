import type { ModelRequest } from '@stepwise/core';
import { type ExampleServices, type FakeLatency, stepFakes } from '@stepwise/example-common';
import { lastUserText, memoryKnowledgeBase } from '@stepwise/runtime-local';
import { KNOWLEDGE_BASE_ID } from './chain';
import { helpCentreDocuments } from './documents';

const STOP_WORDS = new Set(
  (
    'a an and are as at be can could do does for from had has have how i if in is it its me my of on or our ' +
    'should so that the their them there they this to was we what when where which who why will with would you your'
  ).split(' '),
);
const SMALL_TALK = /^\s*(hi|hello|hey|thanks|thank you|good (morning|afternoon|evening)|bye)\b[\s!.,?]*$/i;

/** The keyword extractor, faked: the question's words minus stop words. */
function extractKeywords(request: ModelRequest): string {
  const words = lastUserText(request)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 2 && !STOP_WORDS.has(word));
  return [...new Set(words)].slice(0, 6).join(' ');
}

/** The "does this need the knowledge base" check, faked: `false` for small talk, else `true`. */
function checkNeedsContext(request: ModelRequest): string {
  return SMALL_TALK.test(lastUserText(request)) ? 'false' : 'true';
}

/** The answering model, faked: answers from the best document of the context in the system prompt. */
function answer(request: ModelRequest): string {
  const system = request.system ?? '';
  let context: unknown = null;
  try {
    context = JSON.parse(system.slice(system.lastIndexOf('): ') + 3));
  } catch {
    context = null;
  }
  const earlier = request.messages.length - 1;
  const followUp = earlier > 0 ? ` (I kept our last ${earlier} messages in mind.)` : '';
  if (context === null) {
    return `Hello! I am the Trailhead Outfitters assistant. Ask me about returns, shipping, warranties, rentals or our stores.${followUp}`;
  }
  const { results, note } = context as { results?: { text: string }[]; note?: string };
  if (note !== undefined) {
    return `Sorry, I cannot reach our help centre right now, so I cannot answer that reliably. Please try again in a minute.${followUp}`;
  }
  const best = results?.[0]?.text;
  if (best === undefined) return `I could not find that in our help centre, so I do not know.${followUp}`;
  return `Here is what our help centre says. ${best}${followUp}`;
}

/**
 * Fakes that make the demo meaningful without AWS: keywords are the question's content words, small talk needs
 * no documents, the knowledge base holds Trailhead Outfitters' help centre, and the answer quotes the best match.
 * The same fakes serve runtime-local and the Step Functions emulator.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(ragAssistantFakes({ firstTokenMs: 300, tokenMs: 20 }));
 * ```
 */
export function ragAssistantFakes(latency: FakeLatency = {}): ExampleServices {
  return stepFakes(
    { extractKeywords, checkNeedsContext, answer },
    { ...latency, knowledgeBases: { [KNOWLEDGE_BASE_ID]: memoryKnowledgeBase(helpCentreDocuments) } },
  );
}
