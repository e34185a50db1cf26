/**
 * The card shown beside a citation chip while the pointer rests on it or it has keyboard focus: the
 * passage's article and section › item, and how the passage begins. One card for the whole page, below
 * the chip (above it when there is no room below), never over it, inside the screen. As WCAG 1.4.13
 * asks, Escape dismisses it, the pointer can move onto it, and it stays until pointer or focus leaves.
 * Screen readers hear it as the chip's description while it is shown.
 */
import { h } from "./dom.ts";
import { citationOf } from "./render-answer.ts";
import { excerpt, sectionLabel } from "./sources.ts";

/** A pointer crossing a chip on its way elsewhere shows nothing. */
const SHOW_DELAY_MS = 120;
/** Time to move the pointer from the chip onto the card. */
const HIDE_DELAY_MS = 300;
const QUOTE_CHARS = 140;
/** Space between chip and card, and between card and screen edge, in px. */
const GAP = 6;
const MARGIN = 8;

function chipAt(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>("button[data-cite]") : null;
}

export class CitationPreview {
  private readonly card: HTMLElement;
  private chip: HTMLElement | null = null;
  private showTimer = 0;
  private hideTimer = 0;

  /** Previews the chips inside `scope` (the message list), which also bounds where a chip counts as visible. */
  constructor(private readonly scope: HTMLElement) {
    this.card = h("div", { class: "preview", id: "citation-preview", role: "tooltip", "data-preview": "", hidden: true });
    // Outside the app, so it is never made inert with the chat, and no scroller clips it.
    document.body.appendChild(this.card);

    scope.addEventListener("pointerover", (e) => {
      const chip = chipAt(e.target);
      if (!chip || e.pointerType === "touch") return;
      this.cancelHide();
      if (chip !== this.chip) this.showTimer = window.setTimeout(() => this.show(chip), SHOW_DELAY_MS);
    });
    scope.addEventListener("pointerout", (e) => {
      const chip = chipAt(e.target);
      if (!chip || chip.contains(e.relatedTarget as Node | null)) return;
      clearTimeout(this.showTimer);
      if (chip === this.chip) this.hideSoon();
    });
    this.card.addEventListener("pointerenter", () => this.cancelHide());
    this.card.addEventListener("pointerleave", () => this.hideSoon());
    scope.addEventListener("focusin", (e) => {
      const chip = chipAt(e.target);
      if (chip) this.show(chip);
    });
    scope.addEventListener("focusout", (e) => {
      if (chipAt(e.target) === this.chip) this.hide();
    });
    scope.addEventListener("click", (e) => {
      if (chipAt(e.target)) this.hide();
    });
    // Capture, so the first Escape on a chip closes its card rather than anything behind it.
    document.addEventListener(
      "keydown",
      (e) => {
        if (e.key !== "Escape" || !this.chip) return;
        const onChip = document.activeElement === this.chip;
        this.hide();
        if (onChip) {
          e.preventDefault();
          e.stopPropagation();
        }
      },
      true,
    );
    // Any scroller moving the chip (capture catches scrolls of inner elements) moves the card with it.
    window.addEventListener("scroll", () => this.follow(), true);
    window.addEventListener("resize", () => this.follow());
    // A chip redrawn away (the answer re-rendered) takes its card with it.
    new MutationObserver(() => {
      if (this.chip && !this.chip.isConnected) this.hide();
    }).observe(scope, { childList: true, subtree: true });
  }

  private show(chip: HTMLElement): void {
    const c = citationOf(chip);
    clearTimeout(this.showTimer);
    this.cancelHide();
    if (!c || !chip.isConnected) return;
    if (this.chip && this.chip !== chip) this.chip.removeAttribute("aria-describedby");
    this.chip = chip;
    const path = sectionLabel(c);
    this.card.replaceChildren(h("p", { class: "preview-title" }, c.title));
    if (path) this.card.appendChild(h("p", { class: "preview-path" }, path));
    this.card.appendChild(h("p", { class: "preview-quote" }, excerpt(c.quote, QUOTE_CHARS)));
    this.card.hidden = false;
    chip.setAttribute("aria-describedby", this.card.id);
    this.place(chip);
  }

  private hide(): void {
    clearTimeout(this.showTimer);
    this.cancelHide();
    this.chip?.removeAttribute("aria-describedby");
    this.chip = null;
    this.card.hidden = true;
  }

  private hideSoon(): void {
    this.cancelHide();
    this.hideTimer = window.setTimeout(() => {
      // A chip that still has keyboard focus keeps its card.
      if (this.chip && document.activeElement !== this.chip) this.hide();
    }, HIDE_DELAY_MS);
  }

  private cancelHide(): void {
    clearTimeout(this.hideTimer);
    this.hideTimer = 0;
  }

  /** Keeps the card beside its chip, or hides it once the chip has scrolled out of sight. */
  private follow(): void {
    if (!this.chip) return;
    const r = this.chip.getBoundingClientRect();
    const view = this.scope.getBoundingClientRect();
    if (r.bottom <= view.top || r.top >= view.bottom) this.hide();
    else this.place(this.chip);
  }

  private place(chip: HTMLElement): void {
    const r = chip.getBoundingClientRect();
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    const w = this.card.offsetWidth;
    const height = this.card.offsetHeight;
    const left = Math.max(MARGIN, Math.min(r.left + r.width / 2 - w / 2, vw - w - MARGIN));
    const below = r.bottom + GAP;
    const above = r.top - GAP - height;
    const top = below + height <= vh - MARGIN || above < MARGIN ? below : above;
    // CSSOM properties, which the page's CSP (style-src 'self') allows, unlike style attributes.
    this.card.style.left = `${Math.round(left)}px`;
    this.card.style.top = `${Math.round(top)}px`;
  }
}
