/**
 * The shapes the page reads from the HTTP API: the server's contract (server/contract/), imported as
 * types only, so the bundle holds no server code and no zod.
 */
export type {
  ArticleChunkRef,
  ArticleDetail,
  ArticleSummary,
  Citation,
  DoneEvent,
  ErrorBody,
  HistoryTurn,
  RetrievalEvent,
  TokenEvent,
} from "../../server/contract/index.ts";
