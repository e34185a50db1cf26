/** Past chats kept in the browser's localStorage: list, create, update, delete. */
import type { Citation } from "./api-types.ts";

export interface UserMessage {
  role: "user";
  content: string;
}

export interface AssistantMessage {
  role: "assistant";
  /** The answer text (markdown with [n]); partial when stopped. */
  content: string;
  citations: Citation[];
  /** Closest passages, kept for refused answers so the user still has leads. */
  leads?: Citation[];
  refused?: boolean;
  notice?: string;
  /** The standalone question a follow-up was searched as, when it differs from what was typed. */
  understood?: string;
  error?: string;
  stopped?: boolean;
}

export type Message = UserMessage | AssistantMessage;

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: Message[];
}

const KEY = "policy-qa.conversations.v1";
const CURRENT_KEY = "policy-qa.current.v1";
/** Enough for a working history without filling the ~5 MB localStorage quota. */
const MAX_CONVERSATIONS = 50;

export class ConversationStore {
  constructor(private readonly storage: Storage = localStorage) {}

  /** Newest first. Damaged entries (hand-edited, older format) are dropped rather than breaking the page. */
  list(): Conversation[] {
    let raw: unknown;
    try {
      raw = JSON.parse(this.storage.getItem(KEY) ?? "[]");
    } catch {
      return [];
    }
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((c): c is Conversation => !!c && typeof c.id === "string" && Array.isArray(c.messages))
      .map((c) => ({ ...c, title: String(c.title ?? ""), updatedAt: Number(c.updatedAt) || 0, messages: c.messages.filter(isMessage) }))
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): Conversation | undefined {
    return this.list().find((c) => c.id === id);
  }

  save(conv: Conversation): void {
    const others = this.list().filter((c) => c.id !== conv.id);
    let all = [conv, ...others].slice(0, MAX_CONVERSATIONS);
    // When the quota is hit, drop the oldest chats until it fits.
    for (;;) {
      try {
        this.storage.setItem(KEY, JSON.stringify(all));
        return;
      } catch (err) {
        if (all.length <= 1) throw err;
        all = all.slice(0, -1);
      }
    }
  }

  remove(id: string): void {
    this.storage.setItem(KEY, JSON.stringify(this.list().filter((c) => c.id !== id)));
    if (this.currentId() === id) this.setCurrentId(undefined);
  }

  currentId(): string | undefined {
    return this.storage.getItem(CURRENT_KEY) ?? undefined;
  }

  setCurrentId(id: string | undefined): void {
    if (id) this.storage.setItem(CURRENT_KEY, id);
    else this.storage.removeItem(CURRENT_KEY);
  }
}

function isMessage(m: unknown): m is Message {
  if (!m || typeof m !== "object") return false;
  const msg = m as { role?: unknown; content?: unknown; citations?: unknown; leads?: unknown };
  if (typeof msg.content !== "string") return false;
  if (msg.role === "user") return true;
  return msg.role === "assistant" && Array.isArray(msg.citations) && (msg.leads === undefined || Array.isArray(msg.leads));
}

export function newConversation(): Conversation {
  const now = Date.now();
  const id = typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${now}-${Math.random().toString(36).slice(2)}`;
  return { id, title: "", createdAt: now, updatedAt: now, messages: [] };
}

/** A chat is named after its first question, shortened for the list. */
export function titleFrom(question: string): string {
  const flat = question.replace(/\s+/g, " ").trim();
  return flat.length > 30 ? `${flat.slice(0, 30)}…` : flat;
}
