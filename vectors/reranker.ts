/**
 * Optional cross-encoder rerank (RERANKER_MODEL, e.g. a bge-reranker or ms-marco MiniLM ONNX
 * export), loaded through the same transformers.js folder loading as the embedder.
 */
import { AutoModelForSequenceClassification, AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from "@huggingface/transformers";
import { withModelEnv, type ModelLocation } from "./model-loader.ts";

const BATCH = 8;

export class CrossEncoder {
  private constructor(
    readonly id: string,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
  ) {}

  static async load(loc: ModelLocation): Promise<CrossEncoder> {
    const [tokenizer, model] = await withModelEnv(loc, async () => {
      const tok = await AutoTokenizer.from_pretrained(loc.id);
      const mdl = await AutoModelForSequenceClassification.from_pretrained(loc.id, { dtype: "fp32" });
      return [tok, mdl] as const;
    }, "reranker model");
    return new CrossEncoder(loc.id, tokenizer, model);
  }

  /** Relevance of each passage to the query (higher is better): the last logit of each pair. */
  async score(query: string, passages: readonly string[]): Promise<number[]> {
    const scores: number[] = [];
    for (let i = 0; i < passages.length; i += BATCH) {
      const batch = passages.slice(i, i + BATCH);
      const inputs = this.tokenizer(new Array(batch.length).fill(query), { text_pair: [...batch], padding: true, truncation: true, return_token_type_ids: true });
      const { logits } = (await this.model(inputs)) as { logits: Tensor };
      const rows = logits.tolist() as number[][];
      for (const row of rows) scores.push(row[row.length - 1]);
    }
    return scores;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
