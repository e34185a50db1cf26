/**
 * API errors: one shape for every failure, `{ error: { code, message } }`, with the message in the
 * language the request was written in. Handlers throw ApiError; app.onError turns it into a response.
 */
import type { Context } from "hono";

import type { Language } from "../../vectors/language.ts";
export type Lang = Language;

/** Every error the API can return, with its status and both wordings. */
const CATALOG = {
  invalid_request: { status: 400, zh: "请求格式错误，无法解析。", en: "The request is malformed and cannot be parsed." },
  invalid_json: { status: 400, zh: "请求体不是有效的 JSON。", en: "The request body is not valid JSON." },
  unsupported_content_type: {
    status: 400,
    zh: "请求的 Content-Type 必须是 application/json。",
    en: "The request Content-Type must be application/json.",
  },
  invalid_body: { status: 400, zh: "请求体必须是一个 JSON 对象。", en: "The request body must be a JSON object." },
  invalid_question: { status: 400, zh: "question 必须是字符串。", en: "`question` must be a string." },
  empty_question: { status: 400, zh: "问题不能为空。", en: "The question must not be empty." },
  question_too_long: {
    status: 400,
    zh: "问题过长：最多 {max} 个字符。",
    en: "The question is too long: at most {max} characters.",
  },
  invalid_history: {
    status: 400,
    zh: "history 必须是由 { role: \"user\" | \"assistant\", content: 字符串 } 组成的数组。",
    en: "`history` must be an array of { role: \"user\" | \"assistant\", content: string }.",
  },
  history_too_long: {
    status: 400,
    zh: "对话历史过长：最多 {max} 条消息，每条最多 {chars} 个字符。",
    en: "The history is too long: at most {max} messages of at most {chars} characters each.",
  },
  invalid_stream: { status: 400, zh: "stream 必须是布尔值。", en: "`stream` must be a boolean." },
  invalid_k: { status: 400, zh: "k 必须是 1 到 {max} 之间的整数。", en: "`k` must be a whole number from 1 to {max}." },
  invalid_mode: {
    status: 400,
    zh: "mode 必须是 dense、bm25、hybrid 或 rerank 之一。",
    en: "`mode` must be one of dense, bm25, hybrid, rerank.",
  },
  invalid_query: { status: 400, zh: "查询参数 q 不能为空。", en: "The query parameter `q` must not be empty." },
  invalid_messages: {
    status: 400,
    zh: "messages 必须是非空数组，每条为 { role, content: 字符串或文本片段数组 }。",
    en: "`messages` must be a non-empty array of { role, content: string or text parts }.",
  },
  invalid_max_tokens: {
    status: 400,
    zh: "max_tokens 和 max_completion_tokens 必须是正整数。",
    en: "`max_tokens` and `max_completion_tokens` must be positive whole numbers.",
  },
  invalid_stream_options: {
    status: 400,
    zh: "stream_options 必须是对象，其中 include_usage 为布尔值。",
    en: "`stream_options` must be an object whose `include_usage` is a boolean.",
  },
  no_user_message: {
    status: 400,
    zh: "messages 的最后一条必须是用户（user）消息。",
    en: "The last entry of `messages` must be a user message.",
  },
  unauthorized: {
    status: 401,
    zh: "需要有效的访问令牌（Authorization: Bearer <token>）。",
    en: "A valid access token is required (Authorization: Bearer <token>).",
  },
  forbidden: {
    status: 403,
    zh: "此操作只允许从本机发起，或需配置 API_TOKEN。",
    en: "This action is only allowed from this machine, or with API_TOKEN configured.",
  },
  cross_origin: {
    status: 403,
    zh: "不接受来自其他网站的请求。",
    en: "Requests from another site are not accepted.",
  },
  host_not_allowed: {
    status: 421,
    zh: "不接受发往 {host} 的请求：没有 API_TOKEN 时只接受本机地址、HOST 与 ALLOWED_HOSTS 中的主机名。",
    en: "Requests for {host} are not served: without API_TOKEN only this machine's names, HOST and ALLOWED_HOSTS are accepted.",
  },
  not_found: { status: 404, zh: "未找到请求的资源。", en: "Not found." },
  model_not_found: { status: 404, zh: "没有这个模型。", en: "No such model." },
  article_not_found: { status: 404, zh: "没有这篇文章。", en: "No such article." },
  reindex_running: { status: 409, zh: "索引正在重建中。", en: "A reindex is already running." },
  payload_too_large: {
    status: 413,
    zh: "请求体过大：最多 {max} 字节。",
    en: "The request body is too large: at most {max} bytes.",
  },
  rate_limited: {
    status: 429,
    zh: "请求过于频繁，请 {seconds} 秒后再试。",
    en: "Too many requests; try again in {seconds} {seconds|second|seconds}.",
  },
  headers_too_large: {
    status: 431,
    zh: "请求头过大（网址中的问题太长）：请用 POST /api/chat 提问。",
    en: "The request headers are too large (a question too long for a URL): ask with POST /api/chat instead.",
  },
  internal: { status: 500, zh: "服务器内部错误，请稍后再试。", en: "Internal server error; please try again later." },
  unavailable: { status: 503, zh: "服务正在关闭，请稍后再试。", en: "The server is shutting down; try again shortly." },
  timeout: { status: 504, zh: "请求处理超时。", en: "The request took too long." },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof CATALOG;
type Status = (typeof CATALOG)[ErrorCode]["status"];

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: Status;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    /** Language evident from the request body itself (the question's script), when known. */
    readonly lang?: Lang,
  ) {
    super(fill(CATALOG[code].en, params));
    this.status = CATALOG[code].status;
  }
}

/**
 * The language of a message: a question's, or both (Chinese first) when nothing in the request
 * says which the reader uses.
 */
export type MessageLang = Lang | "zh+en";

/** `{name}` is replaced by the parameter; `{name|one|other}` by the word for its number (1 second, 2 seconds). */
function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g, (m, key: string, one?: string, other?: string) => {
    if (!(key in params)) return m;
    if (one === undefined) return String(params[key]);
    return Number(params[key]) === 1 ? one : other!;
  });
}

/** Whether `value` names an error of the catalog. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(CATALOG, value);
}

/** The message for `code` in `lang`, with {placeholders} filled in. */
export function errorMessage(code: ErrorCode, lang: MessageLang, params: Record<string, string | number> = {}): string {
  if (lang === "zh+en") return `${fill(CATALOG[code].zh, params)} ${fill(CATALOG[code].en, params)}`;
  return fill(CATALOG[code][lang], params);
}

export function errorBody(code: ErrorCode, lang: MessageLang, params?: Record<string, string | number>) {
  return { error: { code, message: errorMessage(code, lang, params) } };
}

/**
 * The language of the request: what its question was written in, else its Accept-Language, else
 * both, Chinese first (the corpus is Chinese; an English reader still finds their half).
 */
export function requestLang(c: Context, fromBody?: Lang): MessageLang {
  if (fromBody) return fromBody;
  const accept = c.req.header("accept-language") ?? "";
  // The first listed language with the highest q wins; only zh/en matter here.
  let best: { lang: Lang; q: number } | undefined;
  for (const part of accept.split(",")) {
    const [tag, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.find((p) => p.trim().startsWith("q="));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    const lang: Lang | undefined = tag.startsWith("zh") ? "zh" : tag.startsWith("en") ? "en" : undefined;
    if (lang && Number.isFinite(q) && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? "zh+en";
}
