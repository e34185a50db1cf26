/**
 * Asks for the access token in the chat, where the refused question was, when the server runs with
 * API_TOKEN: a password field and a button; submitting hands the token on (the caller stores it and
 * asks the question again).
 */
import { h } from "./dom.ts";
import { T } from "./strings.ts";

let forms = 0;

export function tokenForm(rejected: boolean, onToken: (token: string) => void): HTMLFormElement {
  const id = `access-token-${++forms}`;
  const field = h("input", { type: "password", id, name: "token", autocomplete: "off", spellcheck: "false", required: true, "data-token-input": "" });
  const form = h(
    "form",
    { class: "msg assistant token-form", "data-token-form": "" },
    h("p", { class: rejected ? "error" : "notice", role: rejected ? "alert" : false }, rejected ? T.tokenRejected : T.tokenNeeded),
    h("div", { class: "token-row" }, h("label", { for: id }, T.tokenLabel), field, h("button", { type: "submit", class: "primary", "data-token-submit": "" }, T.tokenSubmit)),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const token = field.value.trim();
    if (token) onToken(token);
  });
  // Focused once it is in the page, so the user can type the token straight away.
  requestAnimationFrame(() => field.focus());
  return form;
}
