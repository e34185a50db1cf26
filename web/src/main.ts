/** The chat page: wires the composer, the conversation, the history sidebar and the source panel. */
import { setAccessToken } from "./access-token.ts";
import { ApiError, streamChat, UnauthorizedError } from "./api.ts";
import type { Citation, HistoryTurn } from "./api-types.ts";
import { CitationPreview } from "./citation-preview.ts";
import { ConversationStore, newConversation, titleFrom, type Conversation, type Message } from "./conversations.ts";
import { onBreakpointChange, updateCovering } from "./covering.ts";
import { byId, h } from "./dom.ts";
import { renderHistory } from "./history-list.ts";
import { AssistantMessageView, userMessageView } from "./message-view.ts";
import { SourcePanel } from "./source-panel.ts";
import { T } from "./strings.ts";
import { tokenForm } from "./token-form.ts";

/** Earlier turns sent with a question so follow-ups can be understood; a few are enough. */
const HISTORY_TURNS = 6;

const app = byId("app");
const messages = byId("messages");
const form = byId<HTMLFormElement>("composer");
const input = byId<HTMLTextAreaElement>("question");
const sendButton = byId<HTMLButtonElement>("send");
const stopButton = byId<HTMLButtonElement>("stop");
const historyList = byId("history-list");
const toggleHistory = byId<HTMLButtonElement>("toggle-history");
const historyDrawer = byId("history");
const store = new ConversationStore();
const coverParts = { app, history: historyDrawer, backdrop: byId("backdrop"), panel: byId("source-panel") };
const cover = () => updateCovering(coverParts);
const panel = new SourcePanel(coverParts.panel, app, cover);
new CitationPreview(messages);

let conversation: Conversation = (store.currentId() && store.get(store.currentId()!)) || newConversation();
let running: AbortController | null = null;
const deleted = new Set<string>();

const openCitation = (c: Citation, opener: HTMLElement) => void panel.showCitation(c, opener);

function emptyState(): HTMLElement {
  const examples = T.examples.map((q) => {
    const b = h("button", { type: "button", class: "example", "data-example": "" }, q);
    b.addEventListener("click", () => void ask(q));
    return h("li", {}, b);
  });
  return h(
    "div",
    { class: "empty", "data-empty": "" },
    h("h2", {}, T.appTitle),
    h("p", {}, T.intro),
    h("p", { class: "examples-heading" }, T.examplesHeading),
    h("ul", { class: "examples" }, examples),
  );
}

function showConversation(): void {
  const views = conversation.messages.map((m) =>
    m.role === "user" ? userMessageView(m.content) : new AssistantMessageView(openCitation, m).el,
  );
  messages.replaceChildren(...(views.length > 0 ? views : [emptyState()]));
  keepScrolled(true);
  refreshHistory();
}

/**
 * Opens or closes the drawer (a sidebar at desktop width, where this only matters for the classes).
 * Focus moves into it on opening; on closing it goes to `focusAfter`, or back to the menu button when
 * it was inside the drawer, which is about to become inert.
 */
function setHistoryOpen(open: boolean, focusAfter?: HTMLElement): void {
  const wasOpen = app.classList.contains("history-open");
  const focusInside = historyDrawer.contains(document.activeElement);
  app.classList.toggle("history-open", open);
  toggleHistory.setAttribute("aria-expanded", String(open));
  cover();
  if (open) byId("new-chat").focus();
  else if (focusAfter) focusAfter.focus();
  else if (wasOpen && (focusInside || document.activeElement === document.body)) toggleHistory.focus();
}

function refreshHistory(): void {
  renderHistory(historyList, store.list(), conversation.messages.length > 0 ? conversation.id : undefined, {
    select(id) {
      const next = store.get(id);
      if (!next) return;
      running?.abort();
      conversation = next;
      store.setCurrentId(id);
      showConversation();
      setHistoryOpen(false, input);
    },
    remove(id) {
      deleted.add(id);
      if (id === conversation.id) {
        running?.abort();
        conversation = newConversation();
      }
      store.remove(id);
      showConversation();
    },
  });
}

function startNewChat(): void {
  running?.abort();
  conversation = newConversation();
  store.setCurrentId(undefined);
  showConversation();
  setHistoryOpen(false, input);
}

/** Whether to follow new text: true until the user scrolls up to read, again once back at the bottom. */
let followOutput = true;
messages.addEventListener("scroll", () => {
  followOutput = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 80;
});

function keepScrolled(force = false): void {
  if (force) followOutput = true;
  if (followOutput) messages.scrollTop = messages.scrollHeight;
}

/** Completed question–answer pairs only: a failed or stopped turn would mislead follow-up rewriting. */
function previousTurns(list: Message[]): HistoryTurn[] {
  const turns: HistoryTurn[] = [];
  for (let i = 0; i + 1 < list.length; i++) {
    const q = list[i];
    const a = list[i + 1];
    if (q.role !== "user" || a.role !== "assistant" || a.error || a.stopped || !a.content.trim()) continue;
    turns.push({ role: "user", content: q.content }, { role: "assistant", content: a.content });
    i++;
  }
  return turns.slice(-HISTORY_TURNS);
}

function setBusy(busy: boolean): void {
  sendButton.hidden = busy;
  stopButton.hidden = !busy;
  app.classList.toggle("busy", busy);
  // The stop button disappears now; keep keyboard focus in a useful place.
  if (!busy && (document.activeElement === stopButton || document.activeElement === document.body)) input.focus();
}

async function ask(question: string): Promise<void> {
  question = question.trim();
  if (!question || running) return;
  const conv = conversation;
  const history = previousTurns(conv.messages);
  if (conv.messages.length === 0) {
    messages.replaceChildren();
    conv.title = titleFrom(question);
  }
  const asked: Message = { role: "user", content: question };
  conv.messages.push(asked);
  conv.updatedAt = Date.now();
  store.save(conv);
  store.setCurrentId(conv.id);
  refreshHistory();

  const view = new AssistantMessageView(openCitation, undefined, question);
  const questionEl = userMessageView(question);
  messages.append(questionEl, view.el);
  keepScrolled(true);

  const controller = new AbortController();
  running = controller;
  setBusy(true);
  let unauthorized: UnauthorizedError | undefined;
  try {
    const done = await streamChat(
      { question, history },
      {
        onToken: (text, cites) => {
          view.appendToken(text, cites);
          requestAnimationFrame(() => keepScrolled());
        },
        onRetrieval: (e) => view.setRetrieval(e),
        onReset: () => view.resetContent(),
      },
      controller.signal,
    );
    view.finish(done);
  } catch (err) {
    if (err instanceof UnauthorizedError) unauthorized = err;
    else if (controller.signal.aborted) view.stop();
    else view.fail(err instanceof ApiError ? err.message : T.errorUnexpected(err instanceof Error ? err.message : String(err)));
  } finally {
    running = null;
    setBusy(false);
    if (unauthorized) {
      askForToken(conv, asked, questionEl, view.el, unauthorized.rejected);
      return;
    }
    // A chat deleted while its answer streamed stays deleted.
    if (!deleted.has(conv.id)) {
      conv.messages.push(view.message);
      conv.updatedAt = Date.now();
      store.save(conv);
    }
    if (conv === conversation) keepScrolled();
    refreshHistory();
  }
}

/**
 * The server wants an access token: the question was not answered, so it is taken back out of the
 * chat and a token form stands in place of its answer; with the token given, the question is asked again.
 */
function askForToken(conv: Conversation, asked: Message, questionEl: HTMLElement, answerEl: HTMLElement, rejected: boolean): void {
  conv.messages = conv.messages.filter((m) => m !== asked);
  if (!deleted.has(conv.id)) {
    if (conv.messages.length > 0) store.save(conv);
    else store.remove(conv.id);
  }
  refreshHistory();
  const form = tokenForm(rejected, (token) => {
    setAccessToken(token);
    questionEl.remove();
    form.remove();
    void ask(asked.content);
  });
  answerEl.replaceWith(form);
  if (conv === conversation) keepScrolled(true);
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const q = input.value;
  if (!q.trim() || running) return;
  input.value = "";
  void ask(q);
});

input.addEventListener("keydown", (e) => {
  // Enter sends; Shift+Enter breaks the line; Enter that confirms an IME candidate does neither.
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    form.requestSubmit();
  } else if (e.key === "Escape" && running) {
    running.abort();
  }
});

stopButton.addEventListener("click", () => running?.abort());
byId("new-chat").addEventListener("click", startNewChat);
byId("open-articles").addEventListener("click", (e) => void panel.showArticleList(e.currentTarget as HTMLElement));
toggleHistory.addEventListener("click", () => setHistoryOpen(!app.classList.contains("history-open")));
byId("close-history").addEventListener("click", () => setHistoryOpen(false, toggleHistory));
byId("backdrop").addEventListener("click", () => setHistoryOpen(false, toggleHistory));
// Another tab saved or deleted a chat: show the list as it now is.
window.addEventListener("storage", () => refreshHistory());
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && app.classList.contains("history-open")) setHistoryOpen(false, toggleHistory);
});
onBreakpointChange(cover);

cover();
showConversation();
// On touch screens focusing would pop up the keyboard over the examples.
if (matchMedia("(pointer: fine)").matches) input.focus();
