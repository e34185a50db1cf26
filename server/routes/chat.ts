/**
 * POST /api/chat: a question (with optional history) in, an answer with citations out, as one JSON
 * body or, when asked (`stream: true` or `Accept: text/event-stream`), as SSE events
 * retrieval → token… → done (or error). A `reset` event among the tokens means: discard the text shown
 * so far, the answer starts again (a model failed or was not supported, the extractive answer follows).
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { answer, answerStream } from "../answer/pipeline.ts";
import type { AnswerEvent } from "../answer/types.ts";
import type { RouteDeps } from "../app.ts";
import type { AppEnv } from "../http/deadline.ts";
import { requestSignal } from "../http/deadline.ts";
import { pipeAnswer } from "../http/pipe-answer.ts";
import { readJsonBody } from "../http/read-json.ts";
import { parseChatRequest } from "../http/validate-chat.ts";

/** What a `done` event and the JSON reply carry (no undefined keys). */
function donePayload(e: Extract<AnswerEvent, { type: "done" }>) {
  return {
    answer: e.answer,
    citations: e.citations,
    refused: e.refused,
    generator: e.generator,
    ...(e.notice !== undefined ? { notice: e.notice } : {}),
    ...(e.uncited !== undefined ? { uncited: e.uncited } : {}),
  };
}

function eventPayload(e: AnswerEvent): unknown {
  switch (e.type) {
    case "retrieval":
      return { question: e.question, passages: e.passages };
    case "token":
      return { text: e.text };
    case "reset":
      return {};
    case "done":
      return donePayload(e);
  }
}

export function chatRoutes(deps: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().post("/chat", async (c) => {
    const req = parseChatRequest(await readJsonBody(c), deps.config.limits);
    const wantsStream = req.stream ?? (c.req.header("accept") ?? "").includes("text/event-stream");
    const index = deps.getIndex();
    const signal = requestSignal(c);
    const input = { question: req.question, history: req.history, ...(req.k !== undefined ? { k: req.k } : {}) };

    if (!wantsStream) {
      const r = await answer(input, { index, generator: deps.generator, signal });
      return c.json({
        question: r.question,
        ...donePayload({ type: "done", ...r }),
      });
    }

    return streamSSE(c, (stream) =>
      pipeAnswer(stream, {
        events: answerStream(input, { index, generator: deps.generator, signal }),
        signal,
        clientSignal: c.req.raw.signal,
        lang: req.lang,
        log: deps.log,
        write: (s, e) => s.writeSSE({ event: e.type, data: JSON.stringify(eventPayload(e)) }),
        fail: (s, body) => s.writeSSE({ event: "error", data: JSON.stringify(body) }),
      }),
    );
  });
}
