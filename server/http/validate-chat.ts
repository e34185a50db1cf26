/**
 * Validation of chat requests, both ours (`/api/chat`) and OpenAI's (`/v1/chat/completions`), into one
 * shape the answer pipeline takes. Every failure is an ApiError in the question's language.
 */
import type { LimitsSettings } from "../../config/settings.ts";
import { stripSources } from "../format-sources.ts";
import { textLanguage } from "../../vectors/language.ts";
import { ApiError, type Lang } from "./errors.ts";
import { isPlainObject } from "./read-json.ts";

export interface HistoryMessage {
  role: "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  question: string;
  history: HistoryMessage[];
  stream?: boolean;
  k?: number;
  /** Language of the question, for messages written back to the user. */
  lang: Lang;
}

type Limits = Pick<LimitsSettings, "maxQuestionChars" | "maxHistoryTurns" | "maxHistoryChars" | "maxK">;

/** Characters as a reader counts them (code points), so a CJK question is not penalised for UTF-16. */
function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function checkQuestion(value: unknown, limits: Limits, lang: Lang | undefined): string {
  if (typeof value !== "string") throw new ApiError("invalid_question", {}, lang);
  const question = value.trim();
  if (question === "") throw new ApiError("empty_question", {}, lang);
  if (charCount(question) > limits.maxQuestionChars) {
    throw new ApiError("question_too_long", { max: limits.maxQuestionChars }, lang);
  }
  return question;
}

function checkHistoryLength(history: HistoryMessage[], limits: Limits, lang: Lang | undefined): void {
  if (history.length > limits.maxHistoryTurns || history.some((m) => charCount(m.content) > limits.maxHistoryChars)) {
    throw new ApiError("history_too_long", { max: limits.maxHistoryTurns, chars: limits.maxHistoryChars }, lang);
  }
}

function checkK(value: unknown, limits: Limits, lang: Lang | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > limits.maxK) {
    throw new ApiError("invalid_k", { max: limits.maxK }, lang);
  }
  return value;
}

function checkStream(value: unknown, lang: Lang | undefined): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new ApiError("invalid_stream", {}, lang);
  return value;
}

/** `/api/chat`: `{ question, history?, stream?, k? }`. */
export function parseChatRequest(body: unknown, limits: Limits): ChatRequest {
  if (!isPlainObject(body)) throw new ApiError("invalid_body");
  const lang = typeof body.question === "string" ? textLanguage(body.question) : undefined;
  const question = checkQuestion(body.question, limits, lang);

  let history: HistoryMessage[] = [];
  if (body.history !== undefined && body.history !== null) {
    if (!Array.isArray(body.history)) throw new ApiError("invalid_history", {}, lang);
    history = body.history.map((m) => {
      if (!isPlainObject(m) || (m.role !== "user" && m.role !== "assistant") || typeof m.content !== "string") {
        throw new ApiError("invalid_history", {}, lang);
      }
      return { role: m.role, content: m.content };
    });
    checkHistoryLength(history, limits, lang);
  }
  return { question, history, stream: checkStream(body.stream, lang), k: checkK(body.k, limits, lang), lang: lang ?? "zh" };
}

export interface OpenAiChatRequest extends ChatRequest {
  model?: string;
}

/** OpenAI message content: a string, or an array of parts of which the text parts count. */
function openAiContent(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (content === null) return "";
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const part of content) {
      if (!isPlainObject(part) || typeof part.type !== "string") return undefined;
      if (part.type === "text") {
        if (typeof part.text !== "string") return undefined;
        texts.push(part.text);
      }
    }
    return texts.join("\n");
  }
  return undefined;
}

const OPENAI_ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

/**
 * `/v1/chat/completions`: the last message must be the user's question; earlier user/assistant
 * messages become history. Client system prompts are ignored: the assistant answers from the
 * documents with its own prompts, whatever a client asks it to be.
 */
export function parseOpenAiRequest(body: unknown, limits: Limits): OpenAiChatRequest {
  if (!isPlainObject(body)) throw new ApiError("invalid_body");
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw new ApiError("invalid_messages");
  const parsed = messages.map((m) => {
    if (!isPlainObject(m) || typeof m.role !== "string" || !OPENAI_ROLES.has(m.role)) throw new ApiError("invalid_messages");
    const content = openAiContent(m.content);
    if (content === undefined) throw new ApiError("invalid_messages");
    return { role: m.role, content };
  });
  const last = parsed[parsed.length - 1];
  // The language of the conversation: its latest message that shows one.
  const lang = parsed.map((m) => textLanguage(m.content)).filter((l) => l !== undefined).at(-1);
  if (last.role !== "user") throw new ApiError("no_user_message", {}, lang);
  const question = checkQuestion(last.content, limits, lang);
  const earlier = parsed.slice(0, -1).filter((m): m is HistoryMessage => m.role === "user" || m.role === "assistant");
  // Not slice(-max): with MAX_HISTORY_TURNS=0 that would be slice(-0), which keeps everything.
  const history = earlier
    .slice(Math.max(0, earlier.length - limits.maxHistoryTurns))
    // Our earlier answers come back with the source list appended: the conversation is the answer text.
    .map((m) => (m.role === "assistant" ? { role: m.role, content: stripSources(m.content) } : m));
  // Chat clients resend the whole conversation, so old turns are dropped rather than refused; one
  // oversized message is still an error.
  checkHistoryLength(history, limits, lang);
  if (body.model !== undefined && typeof body.model !== "string") throw new ApiError("invalid_messages", {}, lang);
  return {
    question,
    history,
    stream: checkStream(body.stream, lang),
    model: body.model as string | undefined,
    lang: lang ?? "zh",
  };
}
