/**
 * /v1: the part of the OpenAI chat-completions protocol the assistant speaks. Requests are checked as
 * OpenAI clients send them (extra fields such as temperature are accepted and ignored); replies carry
 * the standard fields plus `citations`, `refused` and `notice` for clients that read them.
 */
import { z } from "zod";
import { citationSchema } from "./chat.ts";
import { code } from "./errors.ts";

export const OPENAI_ROLES = ["system", "developer", "user", "assistant", "tool", "function"] as const;

const invalid = code("invalid_messages");

/** A content part: text parts count, others (images, audio) are ignored. */
const contentPartSchema = z
  .object({ type: z.string(invalid), text: z.unknown().optional() }, invalid)
  .refine((p) => p.type !== "text" || typeof p.text === "string", invalid);

export const openAiMessageSchema = z.object(
  {
    role: z.enum(OPENAI_ROLES, invalid),
    content: z.union([z.string(), z.null(), z.array(contentPartSchema)], invalid),
  },
  invalid,
);
export type OpenAiMessage = z.infer<typeof openAiMessageSchema>;

const maxTokens = () => {
  const bad = code("invalid_max_tokens");
  return z.number(bad).int(bad).min(1, bad).nullish();
};

export const openAiRequestSchema = z.object(
  {
    messages: z.array(openAiMessageSchema, invalid).min(1, invalid),
    model: z.string(invalid).optional(),
    stream: z.boolean(code("invalid_stream")).nullish(),
    stream_options: z
      .object({ include_usage: z.boolean(code("invalid_stream_options")).nullish() }, code("invalid_stream_options"))
      .nullish(),
    /** Most completion tokens (see README: what a token is here); the reply is cut there with finish_reason "length". */
    max_tokens: maxTokens(),
    max_completion_tokens: maxTokens(),
  },
  code("invalid_body"),
);
export type OpenAiRequest = z.input<typeof openAiRequestSchema>;

export const usageSchema = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});
export type Usage = z.infer<typeof usageSchema>;

export const finishReasonSchema = z.enum(["stop", "length"]);
export type FinishReason = z.infer<typeof finishReasonSchema>;

/** What every reply adds to OpenAI's fields. */
const extras = {
  /** The passages the answer cites, as in /api/chat. */
  citations: z.array(citationSchema),
  refused: z.boolean(),
  notice: z.string().optional(),
};

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({ role: z.literal("assistant"), content: z.string(), refusal: z.null() }),
      logprobs: z.null(),
      finish_reason: finishReasonSchema,
    }),
  ),
  usage: usageSchema,
  ...extras,
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

export const chatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number().int(),
  model: z.string(),
  /** Empty in the usage chunk, the last before `[DONE]`. */
  choices: z.array(
    z.object({
      index: z.number().int(),
      delta: z.object({ role: z.literal("assistant").optional(), content: z.string().optional() }),
      logprobs: z.null(),
      finish_reason: finishReasonSchema.nullable(),
    }),
  ),
  /** With `stream_options.include_usage`: null on every chunk but the last, which carries the counts. */
  usage: usageSchema.nullable().optional(),
  citations: extras.citations.optional(),
  refused: extras.refused.optional(),
  notice: extras.notice,
});
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;

export const modelSchema = z.object({ id: z.string(), object: z.literal("model"), created: z.number().int(), owned_by: z.string() });
export type Model = z.infer<typeof modelSchema>;

export const modelListSchema = z.object({ object: z.literal("list"), data: z.array(modelSchema) });
export type ModelList = z.infer<typeof modelListSchema>;
