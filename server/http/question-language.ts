/**
 * What a request asks and in which language, read from its input as sent (ours or OpenAI's shapes), for
 * the request log and for every message written back. For refusals raised before any route read the
 * body (401, 429) the language is undefined when it cannot be told cheaply: no question, not JSON, a
 * body over the size limit (413: never read), or a body that does not arrive at once.
 */
import type { Context } from "hono";
import { textLanguage } from "../../vectors/language.ts";
import type { Lang } from "./errors.ts";
import { isPlainObject } from "./read-json.ts";

/** How long a refusal waits for a body still in flight before answering without its language. */
const BODY_WAIT_MS = 200;

/** An OpenAI message's text, validated or not: the string, or its text parts joined (images and other parts carry none). */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.flatMap((p) => (isPlainObject(p) && typeof p.text === "string" ? [p.text] : [])).join("\n");
}

/** The question a chat body asks: `question`, or the last user message of OpenAI `messages`. */
export function questionIn(body: unknown): string | undefined {
  if (!isPlainObject(body)) return undefined;
  if (typeof body.question === "string") return body.question;
  if (!Array.isArray(body.messages)) return undefined;
  const last = [...body.messages].reverse().find((m) => isPlainObject(m) && m.role === "user");
  return last === undefined ? undefined : messageText(last.content);
}

/**
 * The one reading of a request's language for the messages written back (errors included), from its
 * input as sent, validated or not: a search's `q` (the first if repeated), a chat body's `question`, or
 * the latest of OpenAI `messages` that shows one. Undefined when none does.
 */
export function inputLanguage(input: unknown): Lang | undefined {
  if (!isPlainObject(input)) return undefined;
  const q = Array.isArray(input.q) ? input.q[0] : input.q;
  if (typeof q === "string") return textLanguage(q.trim());
  if (typeof input.question === "string") return textLanguage(input.question);
  const messages = Array.isArray(input.messages) ? input.messages : [];
  let lang: Lang | undefined;
  for (const m of messages) if (isPlainObject(m)) lang = textLanguage(messageText(m.content)) ?? lang;
  return lang;
}

/** The language of a request refused before any route read it (401, 429): its query or small JSON body. */
export async function requestLanguage(c: Context, maxBodyBytes: number): Promise<Lang | undefined> {
  const q = c.req.queries("q");
  if (q !== undefined) return inputLanguage({ q });
  if (c.req.method !== "POST" || !/^application\/json\s*(;|$)/i.test(c.req.header("content-type") ?? "")) return undefined;
  const length = Number(c.req.header("content-length"));
  if (!Number.isInteger(length) || length <= 0 || length > maxBodyBytes) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const text = await Promise.race([
      c.req.text(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), BODY_WAIT_MS);
      }),
    ]);
    if (text === undefined) return undefined;
    return inputLanguage(JSON.parse(text));
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
