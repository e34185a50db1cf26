/**
 * /v1: the OpenAI chat protocol, so existing chat clients and SDKs can talk to the assistant.
 *  - POST /v1/chat/completions: the last user message is the question, earlier user/assistant messages
 *    its history, system/developer messages instructions for an LLM generator (never retrieval).
 *    Citations travel with the answer in a form every client shows — a numbered source list at the end
 *    of the content, streamed too — and as a `citations` field for clients that read it.
 *    `max_tokens` (or `max_completion_tokens`) cuts the content with finish_reason "length";
 *    `stream_options.include_usage` adds the usage chunk. Tokens are counted as server/openai/tokens.ts says.
 *    A front end's background task (a title, tags, follow-ups for a chat) is answered without retrieval.
 *    A streamed completion cannot take back what it sent, so with a language model the answer is held
 *    until it has been checked against its passages (or replaced by the extractive answer) and then
 *    streamed as it stands: a client never receives text that is later withdrawn. The extractive
 *    composer's answer is final as it is written and streams as it comes.
 *  - GET /v1/models, GET /v1/models/:id.
 */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import { answer, answerStream } from "../answer/pipeline.ts";
import type { Citation } from "../answer/types.ts";
import { toWire } from "../contract/chat.ts";
import {
  openAiRequestSchema,
  type ChatCompletion,
  type ChatCompletionChunk,
  type FinishReason,
  type Model,
  type ModelList,
  type Usage,
} from "../contract/openai.ts";
import { formatSources } from "../format-sources.ts";
import { pieces } from "../answer/stream-text.ts";
import { requestSignal, type AppEnv } from "../http/deadline.ts";
import { ApiError, type Lang } from "../http/errors.ts";
import { pipeAnswer } from "../http/pipe-answer.ts";
import { inputLanguage, messageText } from "../http/question-language.ts";
import { validJson } from "../http/validate.ts";
import { backgroundReply } from "../openai/background-task.ts";
import { readConversation } from "../openai/conversation.ts";
import { countTokens, TokenBudget } from "../openai/tokens.ts";
import type { RouteDeps } from "../route-deps.ts";

export const MODEL_ID = "policy-qa";
const MODEL: Model = { id: MODEL_ID, object: "model", created: 0, owned_by: MODEL_ID };

/** Answer text followed by its sources, separated by a blank line. */
function withSources(text: string, citations: Citation[], lang: Lang): string {
  const sources = formatSources(citations, lang);
  return sources ? `${text}\n\n${sources}` : text;
}

/** The citations whose marker made it into the text the client got (all of them unless it was cut). */
function citedIn(text: string, citations: Citation[], cut: boolean): Citation[] {
  return toWire(cut ? citations.filter((c) => text.includes(`[${c.n}]`)) : citations);
}

export function openAiRoutes(deps: RouteDeps) {
  const { limits } = deps.config;
  const body = validJson(openAiRequestSchema, { limits, langOf: inputLanguage });

  return new Hono<AppEnv>()
    .get("/models", (c) => c.json({ object: "list", data: [MODEL] } satisfies ModelList))
    .get("/models/:id", (c) => {
      if (c.req.param("id") !== MODEL_ID) throw new ApiError("model_not_found");
      return c.json(MODEL);
    })
    .post("/chat/completions", body, async (c) => {
      const req = c.req.valid("json");
      const conv = readConversation(req.messages, limits);
      const signal = requestSignal(c);
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      const model = req.model || MODEL_ID;
      const budget = new TokenBudget(req.max_completion_tokens ?? req.max_tokens ?? undefined);
      const promptTokens = countTokens(req.messages.map((m) => messageText(m.content)).join("\n"));
      const usage = (): Usage => {
        const completion = countTokens(budget.text());
        return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
      };
      const finish = (): FinishReason => (budget.cut ? "length" : "stop");
      const background = backgroundReply(conv);
      const input = { question: conv.question, history: conv.history, instructions: conv.instructions };

      if (!req.stream) {
        let content: string;
        let extras: Pick<ChatCompletion, "citations" | "refused" | "notice">;
        if (background !== undefined) {
          content = budget.take(background);
          extras = { citations: [], refused: false };
        } else {
          const r = await answer(input, { index: deps.getIndex(), generator: deps.generator, signal, refusalThreshold: deps.config.answer?.refusalThreshold });
          content = budget.take(withSources(r.answer, r.citations, conv.lang));
          extras = { citations: citedIn(content, r.citations, budget.cut), refused: r.refused, ...(r.notice !== undefined ? { notice: r.notice } : {}) };
        }
        const reply: ChatCompletion = {
          id,
          object: "chat.completion",
          created,
          model,
          choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: finish() }],
          usage: usage(),
          ...extras,
        };
        return c.json(reply);
      }

      const includeUsage = req.stream_options?.include_usage === true;
      const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], more: Partial<ChatCompletionChunk> = {}, finishReason: FinishReason | null = null) =>
        JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
          // OpenAI: with include_usage, every chunk carries `usage: null` but the last, which has the counts.
          ...(includeUsage ? { usage: null } : {}),
          ...more,
        } satisfies ChatCompletionChunk);
      const content = (s: SSEStreamingApi, text: string) => {
        const part = budget.take(text);
        return part ? s.writeSSE({ data: chunk({ content: part }) }) : undefined;
      };
      const end = async (s: SSEStreamingApi, more: Partial<ChatCompletionChunk>) => {
        await s.writeSSE({ data: chunk({}, more, finish()) });
        if (includeUsage) {
          const last: ChatCompletionChunk = { id, object: "chat.completion.chunk", created, model, choices: [], usage: usage() };
          await s.writeSSE({ data: JSON.stringify(last) });
        }
        await s.writeSSE({ data: "[DONE]" });
      };

      return streamSSE(c, async (stream) => {
        await stream.writeSSE({ data: chunk({ role: "assistant", content: "" }) });
        if (background !== undefined) {
          await content(stream, background);
          await end(stream, { citations: [], refused: false });
          return;
        }
        let streamed = false;
        const holdUntilChecked = deps.generator.info().kind !== "extractive";
        await pipeAnswer(stream, {
          events: answerStream(input, { index: deps.getIndex(), generator: deps.generator, signal, refusalThreshold: deps.config.answer?.refusalThreshold }),
          signal,
          clientSignal: c.req.raw.signal,
          lang: conv.lang,
          log: deps.log,
          write: async (s, e) => {
            if (e.type === "token" && !holdUntilChecked) {
              streamed = true;
              await content(s, e.text);
            } else if (e.type === "done") {
              // A model's checked answer, in pieces as a stream would bring it.
              if (holdUntilChecked) {
                for (const piece of pieces(e.answer)) await content(s, piece);
                streamed = true;
              }
              // A generator that streamed nothing still gets its answer across; then the sources.
              await content(s, withSources(streamed ? "" : e.answer, e.citations, conv.lang));
              const sent = budget.text();
              await end(s, { citations: citedIn(sent, e.citations, budget.cut), refused: e.refused, ...(e.notice !== undefined ? { notice: e.notice } : {}) });
            }
          },
          // The OpenAI clients raise an error for a chunk carrying `error`.
          fail: async (s, body) => {
            await s.writeSSE({ data: JSON.stringify(body) });
            await s.writeSSE({ data: "[DONE]" });
          },
        });
      });
    });
}
