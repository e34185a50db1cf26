/**
 * The language of a request's question for refusals raised before any route read it (401, 429): the
 * `q` of a search, or the question in a small JSON body (ours or OpenAI's messages). Undefined when it
 * cannot be told cheaply: no question, not JSON, a body over the size limit (413: never read), or a
 * body that does not arrive at once.
 */
import type { Context } from "hono";
import { textLanguage } from "../../vectors/language.ts";
import type { Lang } from "./errors.ts";

/** How long a refusal waits for a body still in flight before answering without its language. */
const BODY_WAIT_MS = 200;

/** The question a chat body asks: `question`, or the last user message of OpenAI `messages`. */
export function questionIn(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as { question?: unknown; messages?: unknown };
  if (typeof b.question === "string") return b.question;
  if (!Array.isArray(b.messages)) return undefined;
  const last = [...b.messages].reverse().find((m) => m && typeof m === "object" && (m as { role?: unknown }).role === "user") as { content?: unknown } | undefined;
  if (typeof last?.content === "string") return last.content;
  if (Array.isArray(last?.content)) return last.content.map((p) => (typeof p?.text === "string" ? p.text : "")).join(" ");
  return undefined;
}

export async function questionLanguage(c: Context, maxBodyBytes: number): Promise<Lang | undefined> {
  const q = c.req.query("q");
  if (q !== undefined) return textLanguage(q);
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
    const question = questionIn(JSON.parse(text));
    return question === undefined ? undefined : textLanguage(question);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
