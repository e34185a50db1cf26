/**
 * POST /v1/chat/completions and GET /v1/models: the OpenAI chat protocol, so existing chat clients can
 * talk to the assistant. The last user message is the question, earlier user/assistant messages its
 * history. Citations travel with the answer in a form every client shows — a numbered source list at
 * the end of the content, streamed too — and as a `citations` field for clients that read it.
 *
 * A streamed chat completion cannot take back what it sent, so with a language model the answer is
 * held until it has been checked against its passages (or replaced by the extractive answer) and is
 * then streamed as it stands: what a client receives is the final answer, never text later withdrawn.
 * The extractive composer's answer is final as it is written and streams as it comes.
 */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { answer, answerStream } from "../answer/pipeline.ts";
import type { RouteDeps } from "../app.ts";
import { requestSignal, type AppEnv } from "../http/deadline.ts";
import { pipeAnswer } from "../http/pipe-answer.ts";
import { readJsonBody } from "../http/read-json.ts";
import { parseOpenAiRequest } from "../http/validate-chat.ts";
import { formatSources } from "../format-sources.ts";
import { pieces } from "../answer/stream-text.ts";

export const MODEL_ID = "policy-qa";

/** Answer text followed by its sources, separated by a blank line. */
function withSources(text: string, sources: string): string {
  return sources ? `${text}\n\n${sources}` : text;
}

/** A rough token count for `usage` (clients display it; nothing bills by it): CJK chars + Latin words. */
function roughTokens(text: string): number {
  return (text.match(/\p{Script=Han}|[A-Za-z0-9]+|[^\s\p{Script=Han}A-Za-z0-9]/gu) ?? []).length;
}

export function openAiRoutes(deps: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get("/models", (c) =>
      c.json({ object: "list", data: [{ id: MODEL_ID, object: "model", created: 0, owned_by: MODEL_ID }] }),
    )
    .post("/chat/completions", async (c) => {
      const req = parseOpenAiRequest(await readJsonBody(c), deps.config.limits);
      const index = deps.getIndex();
      const signal = requestSignal(c);
      const input = { question: req.question, history: req.history };
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      const model = req.model || MODEL_ID;
      const promptTokens = roughTokens([...req.history.map((m) => m.content), req.question].join("\n"));

      if (!req.stream) {
        const r = await answer(input, { index, generator: deps.generator, signal });
        const content = withSources(r.answer, formatSources(r.citations, req.lang));
        const completionTokens = roughTokens(content);
        return c.json({
          id,
          object: "chat.completion",
          created,
          model,
          choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" }],
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
          citations: r.citations,
          refused: r.refused,
          ...(r.notice !== undefined ? { notice: r.notice } : {}),
        });
      }

      const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}, finish: string | null = null) =>
        JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
          ...extra,
        });
      let streamed = "";
      const holdUntilChecked = deps.generator.info().kind !== "extractive";
      return streamSSE(c, async (stream) => {
        await stream.writeSSE({ data: chunk({ role: "assistant", content: "" }) });
        await pipeAnswer(stream, {
          events: answerStream(input, { index, generator: deps.generator, signal }),
          signal,
          clientSignal: c.req.raw.signal,
          lang: req.lang,
          log: deps.log,
          write: async (s, e) => {
            if (e.type === "token" && !holdUntilChecked) {
              streamed += e.text;
              await s.writeSSE({ data: chunk({ content: e.text }) });
            } else if (e.type === "done") {
              // The checked answer of a model, in pieces as a stream would bring it.
              if (holdUntilChecked) {
                for (const piece of pieces(e.answer)) await s.writeSSE({ data: chunk({ content: piece }) });
                streamed = e.answer;
              }
              // A generator that streamed nothing still gets its answer across; then the sources.
              const tail = withSources(streamed ? "" : e.answer, formatSources(e.citations, req.lang));
              if (tail) await s.writeSSE({ data: chunk({ content: tail }) });
              await s.writeSSE({
                data: chunk({}, { citations: e.citations, refused: e.refused, ...(e.notice !== undefined ? { notice: e.notice } : {}) }, "stop"),
              });
              await s.writeSSE({ data: "[DONE]" });
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
