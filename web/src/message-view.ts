/**
 * One chat message on screen. An assistant message is redrawn from its state (text, citations,
 * refusal, error) whenever that changes, which keeps streaming, finished and restored messages alike.
 */
import type { Citation, DoneEvent, RetrievalEvent } from "./api-types.ts";
import { copyText } from "./clipboard.ts";
import type { AssistantMessage } from "./conversations.ts";
import { h } from "./dom.ts";
import { citedAloneInListItems, citedNumbers } from "./markdown.ts";
import { renderAnswer } from "./render-answer.ts";
import { answerAsText, excerpt, sourceLabel } from "./sources.ts";
import { T } from "./strings.ts";

export type OpenCitation = (c: Citation, opener: HTMLElement) => void;

/** How many retrieved passages a refused answer that cites none offers as leads. */
const MAX_LEADS = 3;
/** Characters of a lead's passage shown in the list of closest passages. */
const LEAD_EXCERPT_CHARS = 90;

/**
 * The standalone question a follow-up was searched as, when it is more than the typed question with
 * different spacing or end punctuation; otherwise undefined (nothing worth showing).
 */
export function understoodAs(typed: string, searched: unknown): string | undefined {
  if (typeof searched !== "string" || !searched.trim()) return undefined;
  const key = (q: string) => q.replace(/\s+/g, "").replace(/[？?。.！!]+$/u, "");
  return key(searched) === key(typed) ? undefined : searched.trim();
}

export function userMessageView(text: string): HTMLElement {
  return h("article", { class: "msg user", "data-message": "user" }, h("p", { class: "msg-text" }, text));
}

export class AssistantMessageView {
  readonly el: HTMLElement;
  private state: AssistantMessage;
  /** The retrieved passages (leads for a refusal that cites none). */
  private passages: Citation[] = [];
  /** While streaming, `[n]` refers to the passages the tokens announced as cited (numbered as in the answer). */
  private cited: Citation[] = [];
  private streaming: boolean;
  private frame = 0;

  constructor(
    private readonly openCitation: OpenCitation,
    initial?: AssistantMessage,
    /** The question as the user typed it, to tell whether the server searched something else. */
    private readonly asked = "",
  ) {
    this.state = initial ?? { role: "assistant", content: "", citations: [] };
    this.streaming = !initial;
    this.el = h("article", { class: "msg assistant", "data-message": "assistant" });
    this.el.addEventListener("click", (e) => this.onClick(e));
    this.render();
  }

  get message(): AssistantMessage {
    return this.state;
  }

  setRetrieval(e: RetrievalEvent): void {
    this.passages = e.passages;
    this.state.understood = understoodAs(this.asked, e.question);
    this.schedule();
  }

  appendToken(text: string, cites: Citation[] = []): void {
    this.state.content += text;
    this.cited.push(...cites);
    this.schedule();
  }

  /** Withdraws the text streamed so far (the server replaced the model's answer). */
  resetContent(): void {
    this.state.content = "";
    this.cited = [];
    this.schedule();
  }

  finish(done: DoneEvent): void {
    // A refusal that cites passages offers those; otherwise the closest few retrieved.
    const leads = done.refused ? (done.citations.length > 0 ? done.citations : this.passages.slice(0, MAX_LEADS)) : undefined;
    // The JSON reply (a server that ignored the stream flag) carries the searched question too.
    const searched = (done as { question?: unknown }).question;
    this.state = {
      role: "assistant",
      content: done.answer,
      citations: done.refused ? [] : done.citations,
      leads,
      refused: done.refused,
      notice: done.notice,
      understood: searched === undefined ? this.state.understood : understoodAs(this.asked, searched),
    };
    this.end();
  }

  stop(): void {
    this.state.stopped = true;
    this.state.citations = this.citedPassages();
    this.end();
  }

  fail(message: string): void {
    this.state.error = message;
    this.state.citations = this.citedPassages();
    this.end();
  }

  /** A cut-short answer keeps its chips working: they point at the passages it cited so far. */
  private citedPassages(): Citation[] {
    const cited = new Set(citedNumbers(this.state.content));
    return this.cited.filter((p) => cited.has(p.n));
  }

  private end(): void {
    this.streaming = false;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  /** Tokens can arrive faster than frames; redraw at most once per frame. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** What `[n]` points at: the passages cited so far while streaming, then the cited ones (a refusal cites its leads). */
  private lookup = (n: number): Citation | undefined => {
    if (this.streaming) return this.cited.find((c) => c.n === n);
    return this.state.citations.find((c) => c.n === n) ?? this.state.leads?.find((c) => c.n === n);
  };

  private render(): void {
    const s = this.state;
    const refused = !!s.refused;
    this.el.className = `msg assistant${refused ? " refused" : ""}${s.error ? " failed" : ""}`;
    this.el.dataset.refused = String(refused);
    this.el.dataset.state = this.streaming ? "streaming" : s.error ? "error" : s.stopped ? "stopped" : "done";
    this.el.setAttribute("aria-busy", String(this.streaming));

    const answer = h("div", { class: "answer", "data-answer": "" });
    if (s.content) renderAnswer(answer, s.content, this.lookup);
    else if (this.streaming) answer.appendChild(h("p", { class: "thinking" }, T.thinking));

    const understood = typeof s.understood === "string" && s.understood ? s.understood : undefined;
    const children: (Node | null)[] = [
      refused ? h("p", { class: "badge" }, T.refusedLabel) : null,
      answer.hasChildNodes() ? answer : null,
      understood ? h("p", { class: "understood", "data-understood": "" }, T.understoodAs(understood)) : null,
      s.stopped ? h("p", { class: "notice" }, T.stopped) : null,
      s.notice ? h("p", { class: "notice" }, s.notice) : null,
      s.error ? h("p", { class: "error", role: "alert" }, `${T.errorPrefix}${s.error}`) : null,
    ];
    if (!this.streaming) {
      if (s.citations.length > 0) children.push(sourceList(T.sources, s.citations, "data-source", false));
      // Each lead is named once: by the text when it lists the lead as an item of its own (the chip
      // there opens and previews it), otherwise here, with the start of its passage.
      const named = citedAloneInListItems(s.content);
      const listed = (s.leads ?? []).filter((c) => !named.has(c.n));
      if (listed.length > 0) children.push(sourceList(T.leads, listed, "data-lead", true));
      if (s.content) children.push(this.actions());
    }
    this.el.replaceChildren(...children.filter((c): c is Node => c !== null));
  }

  private actions(): HTMLElement {
    const status = h("span", { class: "copy-status", role: "status" });
    const button = h("button", { type: "button", class: "link-button", "data-copy": "" }, T.copy);
    button.addEventListener("click", async () => {
      const s = this.state;
      const text = s.refused
        ? answerAsText(s.content, s.leads ?? [], T.leads)
        : answerAsText(s.content, s.citations, T.sources);
      status.textContent = (await copyText(text)) ? T.copied : T.copyFailed;
    });
    return h("div", { class: "msg-actions" }, button, status);
  }

  private onClick(e: MouseEvent): void {
    const target = (e.target as Element).closest<HTMLElement>("[data-cite],[data-source],[data-lead]");
    if (!target || !this.el.contains(target)) return;
    const n = Number(target.dataset.cite ?? target.dataset.source ?? target.dataset.lead);
    const list = target.dataset.lead !== undefined ? (this.state.leads ?? []) : undefined;
    const c = list ? list.find((x) => x.n === n) : this.lookup(n);
    if (c) this.openCitation(c, target);
  }
}

function sourceList(heading: string, items: Citation[], attr: string, withQuote: boolean): HTMLElement {
  return h(
    "section",
    { class: withQuote ? "sources leads" : "sources" },
    h("h2", {}, heading),
    h(
      "ol",
      {},
      items.map((c) =>
        h(
          "li",
          {},
          h(
            "button",
            { type: "button", class: "source", [attr]: c.n },
            h("span", { class: "source-n" }, `[${c.n}]`),
            " ",
            h("span", { class: "source-path" }, sourceLabel(c)),
            withQuote ? h("span", { class: "source-quote" }, excerpt(c.quote, LEAD_EXCERPT_CHARS)) : null,
          ),
        ),
      ),
    ),
  );
}
