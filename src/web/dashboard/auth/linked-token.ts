import { hasTokenFragment, tokenInFragment, withoutTokenFragment } from "../deep-link.js";

/**
 * A token an app linked the user in with (`#token=<jwt>`), taken once at
 * load: it leaves the address bar at once (history.replaceState), so it is
 * neither kept in the history nor shared by copying the address.
 */
export function takeLinkedToken(): string | null {
  if (!hasTokenFragment(location.hash)) return null;
  const token = tokenInFragment(location.hash);
  history.replaceState(history.state, "", withoutTokenFragment(location.href));
  return token;
}
