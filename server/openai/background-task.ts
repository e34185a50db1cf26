/**
 * Chat front ends ask the model for small background jobs through the same endpoint: a title for the
 * chat, tags, follow-up suggestions, search queries (Open WebUI, LobeChat, Chatbox, LibreChat, Cherry
 * Studio …). Each wording differs, but the shape is common: a task instruction wrapped around a copy
 * of the conversation, often with the JSON the answer must fill in. Such a request is recognised by
 * that shape and answered without retrieval: a title is a short phrase of the first question, any
 * list asked for is empty (this assistant makes no suggestions of its own).
 */
import type { Conversation } from "./conversation.ts";

/**
 * Role labels front ends write in front of each copied message ("USER: …", "||>User:", "assistant: …").
 * The only word list here: a transcript is recognised by its labels, and these are the roles there are.
 */
export const TRANSCRIPT_ROLES = ["user", "human", "assistant", "ai", "bot", "response", "用户", "助手"] as const;
const USER_ROLES = new Set(["user", "human", "用户"]);

/**
 * Words of an instruction asking for a name for the conversation, for front ends that ask for plain
 * text instead of JSON ("give this conversation a name", "5-word title", "总结为标题").
 */
export const TITLE_WORDS = /\b(?:title|name)\b|标题|题目|命名|名称/i;

const ROLE_LINE = new RegExp(
  String.raw`^[ \t]*(?:\|\|>)?[ \t]*[*#]*[ \t]*(${TRANSCRIPT_ROLES.join("|")})[ \t]*[*#]*[ \t]*[:：][ \t]*(.*)$`,
  "i",
);
/** A line that closes a copied transcript: `</chat_history>`, a code fence, a rule. */
const CLOSING_LINE = /^\s*(?:<\/[^>]+>|`{3,}|"{3}|-{3,}|={3,})\s*$/;
/** The JSON a front end asks to be filled in: `{ "title": "…" }`, `{ "tags": [ … ] }`. */
const JSON_TEMPLATE = /\{\s*"([A-Za-z_][\w-]*)"\s*:\s*(\[|")/;

interface Transcript {
  /** The first message labelled as the user's. */
  firstQuestion: string;
  /** The text around the transcript: where the task is stated. */
  instruction: string;
}

/** A copied conversation as labelled lines inside the text, and the text around it. */
function labelledTranscript(text: string): Transcript | undefined {
  const lines = text.split(/\r?\n/);
  const roleAt = lines.map((l) => ROLE_LINE.exec(l));
  const first = roleAt.findIndex((m) => m !== null);
  if (first < 0) return undefined;
  const last = roleAt.findLastIndex((m) => m !== null);
  const close = lines.findIndex((l, i) => i > last && CLOSING_LINE.test(l));
  const userAt = roleAt.findIndex((m) => m !== null && USER_ROLES.has(m[1].toLowerCase()));
  if (userAt < 0) return undefined;
  // The message runs from its label to the next label (LibreChat puts it on the lines below).
  const body: string[] = [roleAt[userAt]![2]];
  for (let i = userAt + 1; i < lines.length && roleAt[i] === null && !CLOSING_LINE.test(lines[i]); i++) body.push(lines[i]);
  const instruction = [...lines.slice(0, first), ...(close >= 0 ? lines.slice(close + 1) : [])].join("\n");
  return { firstQuestion: body.join("\n"), instruction };
}

/** A conversation sent as JSON: `[{ "role": "user", "content": "…" }, …]` (Cherry Studio). */
function jsonTranscript(text: string): Transcript | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("[")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const messages = value.filter(
    (m): m is { role: string; content: string } => typeof m?.role === "string" && typeof m?.content === "string",
  );
  if (messages.length !== value.length) return undefined;
  const user = messages.find((m) => USER_ROLES.has(m.role.toLowerCase()));
  return user ? { firstQuestion: user.content, instruction: "" } : undefined;
}

/** A short phrase of a question for a title: its first clause, at most 20 characters or 8 words. */
export function shortTitle(question: string): string {
  const text = question.replace(/^[\s"'“”‘’「」『』]+/, "").split(/\r?\n/)[0] ?? "";
  const clause = text.split(/[。？！?!；;]/)[0].trim() || text.trim();
  const han = /\p{Script=Han}/u.test(clause);
  const short = han ? [...clause].slice(0, 20).join("") : clause.split(/\s+/).slice(0, 8).join(" ");
  return short.replace(/[\s"'“”‘’「」『』，,、：:.。…]+$/u, "");
}

/** The reply to a background task, or undefined when the request is an ordinary question. */
export function backgroundReply(conv: Pick<Conversation, "question" | "instructions" | "history">): string | undefined {
  const transcript = labelledTranscript(conv.question) ?? jsonTranscript(conv.question);
  if (!transcript) return undefined;
  const instruction = [...conv.instructions, transcript.instruction].join("\n");
  const title = shortTitle(transcript.firstQuestion) || shortTitle(conv.history.find((m) => m.role === "user")?.content ?? "");
  const template = JSON_TEMPLATE.exec(instruction);
  if (template) return JSON.stringify({ [template[1]]: template[2] === "[" ? [] : title });
  if (TITLE_WORDS.test(instruction)) return title;
  return undefined;
}
