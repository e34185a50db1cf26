/** GET /api/health and /api/admin/reindex: what the server is serving, and the state of a reindex. */
import { z } from "zod";
import type { EmbeddingInfo } from "../../vectors/types.ts";
import { code } from "./errors.ts";

const reindexStateSchema = z.enum(["idle", "running", "done", "failed"]);

export const healthResponseSchema = z.object({
  status: z.literal("ok"),
  articles: z.number().int(),
  chunks: z.number().int(),
  /** The embedding model of the index (vectors/types.ts EmbeddingInfo). */
  embedding: z.custom<EmbeddingInfo>((v) => typeof v === "object" && v !== null && typeof (v as EmbeddingInfo).model === "string"),
  /**
   * Whether the dense signal (and the model's sentence similarity) works now: "unavailable", with the
   * reason naming the endpoint or the model folder, while it cannot be reached; searches then go by keywords.
   */
  dense: z.object({ state: z.enum(["ok", "unavailable"]), reason: z.string().optional(), since: z.string().optional() }),
  /** Kind and model only: the LLM's address stays internal. */
  generator: z.object({ kind: z.enum(["extractive", "llm"]), model: z.string().optional() }),
  index: z.object({ build: z.string(), createdAt: z.string() }),
  /** The state of a reindex, when the server can run one. */
  reindex: reindexStateSchema.optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
/** Which kind of generator writes the answers. */
export type GeneratorKind = HealthResponse["generator"]["kind"];

/** POST /api/admin/reindex body (optional): `{ force?: boolean }` rebuilds even an unchanged corpus. */
export const reindexRequestSchema = z.object({ force: z.boolean(code("invalid_body")).optional() }, code("invalid_body"));
export type ReindexRequest = z.input<typeof reindexRequestSchema>;

/** GET /api/admin/reindex (and the 202 of a POST): where a reindex stands. */
export const reindexStatusSchema = z.object({
  state: reindexStateSchema,
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  progress: z.object({ stage: z.string(), done: z.number(), total: z.number() }).optional(),
  result: z
    .object({
      indexDir: z.string(),
      reused: z.boolean(),
      articles: z.number().int(),
      chunks: z.number().int(),
      seconds: z.number(),
      switched: z.boolean(),
      warnings: z.array(z.string()),
    })
    .optional(),
  error: z.string().optional(),
});
export type ReindexStatus = z.infer<typeof reindexStatusSchema>;
