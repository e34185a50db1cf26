/**
 * POST /api/chat: a question (with optional history) in, an answer with citations out, as one JSON
 * body or, when asked (`stream: true` or `Accept: text/event-stream`), as SSE events
 * retrieval → token… → done (or error). A `reset` event among the tokens means: discard the text shown
 * so far, the answer starts again (a model failed or was not supported, the extractive answer follows).
 * The shapes are the contract's (server/contract/chat.ts).
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { answer, answerStream } from "../answer/pipeline.ts";
import type { AnswerEvent } from "../answer/types.ts";
import {
  chatRequestSchema,
  toWire,
  type ChatResponse,
  type DoneEvent,
  type ResetEvent,
  type RetrievalEvent,
  type TokenEvent,
} from "../contract/chat.ts";
import { requestSignal, type AppEnv } from "../http/deadline.ts";
import { pipeAnswer } from "../http/pipe-answer.ts";
import { inputLanguage } from "../http/question-language.ts";
import { validJson } from "../http/validate.ts";
import type { RouteDeps } from "../route-deps.ts";
import { questionLanguage } from "../../vectors/language.ts";

/** What a `done` event and the JSON reply carry (no undefined keys). */
function donePayload(e: Extract<AnswerEvent, { type: "done" }>): DoneEvent {
  return {
    answer: e.answer,
    citations: toWire(e.citations),
    refused: e.refused,
    generator: e.generator,
    ...(e.notice !== undefined ? { notice: e.notice } : {}),
    ...(e.uncited !== undefined ? { uncited: e.uncited } : {}),
  };
}

function eventPayload(e: AnswerEvent): RetrievalEvent | TokenEvent | ResetEvent | DoneEvent {
  switch (e.type) {
    case "retrieval":
      return { question: e.question, passages: toWire(e.passages) };
    case "token":
      return e.cites ? { text: e.text, cites: toWire(e.cites) } : { text: e.text };
    case "reset":
      return {};
    case "done":
      return donePayload(e);
  }
}

export function chatRoutes(deps: RouteDeps) {
  const { limits } = deps.config;
  const body = validJson(chatRequestSchema(limits), { limits, langOf: inputLanguage });
  return new Hono<AppEnv>().post("/chat", body, async (c) => {
    const req = c.req.valid("json");
    const wantsStream = req.stream ?? (c.req.header("accept") ?? "").includes("text/event-stream");
    const index = deps.getIndex();
    const signal = requestSignal(c);
    const input = { question: req.question, history: req.history ?? [], ...(req.k !== undefined ? { k: req.k } : {}) };

    if (!wantsStream) {
      const r = await answer(input, { index, generator: deps.generator, signal, refusalThreshold: deps.config.answer?.refusalThreshold });
      const reply: ChatResponse = { question: r.question, ...donePayload({ type: "done", ...r }) };
      return c.json(reply);
    }

    return streamSSE(c, (stream) =>
      pipeAnswer(stream, {
        events: answerStream(input, { index, generator: deps.generator, signal, refusalThreshold: deps.config.answer?.refusalThreshold }),
        signal,
        clientSignal: c.req.raw.signal,
        lang: questionLanguage(req.question),
        log: deps.log,
        write: (s, e) => s.writeSSE({ event: e.type, data: JSON.stringify(eventPayload(e)) }),
        fail: (s, body) => s.writeSSE({ event: "error", data: JSON.stringify(body) }),
      }),
    );
  });
}
