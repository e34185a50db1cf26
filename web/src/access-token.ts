/**
 * The access token for a server started with API_TOKEN. Kept in sessionStorage: it survives reloads of
 * this tab but not closing it, and is never written to the long-lived localStorage with the chats.
 */
const KEY = "policy-qa.token";

export function accessToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) || undefined;
  } catch {
    return undefined; // storage disabled: the user is asked again
  }
}

export function setAccessToken(token: string | undefined): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: nothing to keep
  }
}
