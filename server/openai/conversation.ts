/**
 * An OpenAI `messages` array read as the assistant's input: the last message is the question (it must be
 * the user's), earlier user/assistant messages are its history, and system/developer messages are the
 * client's instructions, which only an LLM generator sees (never retrieval or follow-up rewriting).
 */
import { historySchema, questionSchema, type HistoryTurn, type RequestLimits } from "../contract/chat.ts";
import type { OpenAiMessage } from "../contract/openai.ts";
import { stripSources } from "../format-sources.ts";
import { ApiError, type Lang } from "../http/errors.ts";
import { isPlainObject } from "../http/read-json.ts";
import { parseOrThrow } from "../http/validate.ts";
import { textLanguage } from "../../vectors/language.ts";

export interface Conversation {
  question: string;
  history: HistoryTurn[];
  /** The client's system and developer messages, in order. */
  instructions: string[];
  /** Language of the conversation, for messages written back to the user. */
  lang: Lang;
}

/** A message's text: the string, or its text parts joined (images and other parts carry none). */
export function messageText(content: OpenAiMessage["content"]): string {
  if (typeof content === "string") return content;
  if (content === null) return "";
  return content.flatMap((p) => (p.type === "text" && typeof p.text === "string" ? [p.text] : [])).join("\n");
}

/**
 * The language of a request's messages as sent (validated or not): its latest message that shows one.
 * Used for error messages too, so it reads whatever it can.
 */
export function conversationLanguage(body: unknown): Lang | undefined {
  const messages = isPlainObject(body) && Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  let lang: Lang | undefined;
  for (const m of messages) {
    if (!isPlainObject(m)) continue;
    const c = m.content;
    const text =
      typeof c === "string" ? c : Array.isArray(c) ? c.map((p) => (isPlainObject(p) && typeof p.text === "string" ? p.text : "")).join("\n") : "";
    lang = textLanguage(text) ?? lang;
  }
  return lang;
}

/** Splits validated messages into question, history and instructions, applying the request limits. */
export function readConversation(messages: OpenAiMessage[], limits: RequestLimits): Conversation {
  const parsed = messages.map((m) => ({ role: m.role, content: messageText(m.content) }));
  const lang = conversationLanguage({ messages });
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
