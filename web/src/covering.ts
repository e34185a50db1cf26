/**
 * Which parts of the page keyboard and screen-reader users can reach. At phone width the history
 * drawer and the source panel cover the chat: while one is open everything else is inert, and the
 * closed drawer, slid off-screen, is inert and hidden itself (no invisible focus). At desktop width
 * everything is shown side by side, so nothing is inert.
 */
const NARROW = matchMedia("(max-width: 720px)");

/** True at phone width (the breakpoint in styles.css). */
export function isNarrow(): boolean {
  return NARROW.matches;
}

export interface CoveringParts {
  app: HTMLElement;
  history: HTMLElement;
  backdrop: HTMLElement;
  panel: HTMLElement;
}

/** Applies the rule above to the children of `app`, from its `history-open` and `panel-open` classes. */
export function updateCovering({ app, history, backdrop, panel }: CoveringParts): void {
  const narrow = isNarrow();
  const panelOpen = app.classList.contains("panel-open");
  const historyOpen = app.classList.contains("history-open");
  for (const el of Array.from(app.children)) {
    if (!(el instanceof HTMLElement)) continue;
    let inert = false;
    if (narrow && panelOpen) inert = el !== panel;
    else if (narrow && historyOpen) inert = el !== history && el !== backdrop;
    else if (narrow) inert = el === history;
    el.inert = inert;
  }
  const drawerClosed = narrow && !historyOpen;
  if (drawerClosed) history.setAttribute("aria-hidden", "true");
  else history.removeAttribute("aria-hidden");
}

/** Runs `update` again whenever the width crosses the breakpoint (a rotated phone, a resized window). */
export function onBreakpointChange(update: () => void): void {
  NARROW.addEventListener("change", update);
}
