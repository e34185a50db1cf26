/** The list of past chats in the sidebar: pick one, or delete it. */
import type { Conversation } from "./conversations.ts";
import { h } from "./dom.ts";
import { T } from "./strings.ts";

export interface HistoryActions {
  select(id: string): void;
  remove(id: string): void;
}

export function renderHistory(list: HTMLElement, conversations: Conversation[], currentId: string | undefined, actions: HistoryActions): void {
  if (conversations.length === 0) {
    list.replaceChildren(h("li", { class: "history-empty" }, T.historyEmpty));
    return;
  }
  list.replaceChildren(
    ...conversations.map((c) => {
      const title = c.title || T.untitled;
      const open = h(
        "button",
        { type: "button", class: "history-open", "data-conversation": c.id, "aria-current": c.id === currentId ? "true" : undefined },
        title,
      );
      open.addEventListener("click", () => actions.select(c.id));
      const del = h("button", { type: "button", class: "history-delete", "data-delete": c.id, "aria-label": T.deleteChatLabel(title), title: T.deleteChat }, "×");
      del.addEventListener("click", () => actions.remove(c.id));
      return h("li", { class: c.id === currentId ? "current" : undefined }, open, del);
    }),
  );
}
