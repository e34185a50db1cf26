/**
 * An OpenAI `messages` array read as the assistant's input: the last message is the question (it must be
 * the user's), earlier user/assistant messages are its history, and system/developer messages are the
 * client's instructions, which only an LLM generator sees (never retrieval or follow-up rewriting).
 */
import { historySchema, questionSchema, type HistoryTurn, type RequestLimits } from "../contract/chat.ts";
import type { OpenAiMessage } from "../contract/openai.ts";
import { stripSources } from "../format-sources.ts";
import { ApiError, type Lang } from "../http/errors.ts";
import { inputLanguage, messageText } from "../http/question-language.ts";
import { parseOrThrow } from "../http/validate.ts";

export interface Conversation {
  question: string;
  history: HistoryTurn[];
  /** The client's system and developer messages, in order. */
  instructions: string[];
  /** Language of the conversation, for messages written back to the user. */
  lang: Lang;
}

/** Splits validated messages into question, history and instructions, applying the request limits. */
export function readConversation(messages: OpenAiMessage[], limits: RequestLimits): Conversation {
  const parsed = messages.map((m) => ({ role: m.role, content: messageText(m.content) }));
  const lang = inputLanguage({ messages });
  const last = parsed[parsed.length - 1];
  if (last.role !== "user") throw new ApiError("no_user_message", {}, lang);
  const question = parseOrThrow(questionSchema(limits), last.content, { lang, limits });
  const earlier = parsed.slice(0, -1).filter((m): m is HistoryTurn => m.role === "user" || m.role === "assistant");
  // Chat clients resend the whole conversation, so old turns are dropped rather than refused; one
  // oversized message is still an error. (Not slice(-max): with MAX_HISTORY_TURNS=0 that keeps everything.)
  const history = earlier
    .slice(Math.max(0, earlier.length - limits.maxHistoryTurns))
    // Our earlier answers come back with the source list appended: the conversation is the answer text.
    .map((m) => (m.role === "assistant" ? { role: m.role, content: stripSources(m.content) } : m));
  parseOrThrow(historySchema(limits), history, { lang, limits });
  const instructions = parsed
    .filter((m) => m.role === "system" || m.role === "developer")
    .map((m) => m.content.trim())
    .filter((s) => s !== "");
  return { question, history, instructions, lang: lang ?? "zh" };
}
