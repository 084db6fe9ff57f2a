import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../format.js";
import { Alert } from "../ui/message.js";
import { devTokenAvailable, fetchDevToken } from "./dev-token.js";
import { normalizeToken } from "./token-store.js";

/**
 * Signing in: paste an access token (`npm run token -- --sub alice` prints
 * one), or, when the gateway runs in development, ask it for one.
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn(token: string): void; notice?: string | null }) {
  const [pasted, setPasted] = useState("");
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [devAvailable, setDevAvailable] = useState(false);
  const [subject, setSubject] = useState("alice");
  const [admin, setAdmin] = useState(false);
  const [devError, setDevError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const tokenField = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    void devTokenAvailable().then(setDevAvailable);
  }, []);
  // Back here because the gateway refused the token: the keyboard continues where a new one goes.
  useEffect(() => {
    if (notice) tokenField.current?.focus();
  }, [notice]);

  function usePasted(event: Event) {
    event.preventDefault();
    const token = normalizeToken(pasted);
    if (!token) {
      setPasteError("Paste an access token first.");
      return;
    }
    onSignedIn(token);
  }

  async function useDevelopment(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (!subject.trim()) {
      setDevError("Give a subject, e.g. alice.");
      return;
    }
    setBusy(true);
    setDevError(null);
    try {
      onSignedIn(await fetchDevToken(subject.trim(), admin));
    } catch (err) {
      setDevError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="narrow">
      <Alert text={notice} />
      <section class="card" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <form onSubmit={usePasted} noValidate>
          <div class="field">
            <label for="token">Access token</label>
            <textarea
              id="token"
              ref={tokenField}
              class="mono"
              rows={3}
              spellcheck={false}
              autoComplete="off"
              value={pasted}
              aria-describedby={pasteError ? "token-hint token-issue" : "token-hint"}
              aria-invalid={pasteError ? true : undefined}
              onInput={(e) => setPasted(e.currentTarget.value)}
            />
            <p id="token-hint" class="hint small">
              A JWT from <code>npm run token -- --sub alice</code>. It stays in this tab only (sessionStorage).
            </p>
            {pasteError ? (
              <p id="token-issue" class="issue small">
                {pasteError}
              </p>
            ) : null}
          </div>
          <button type="submit">Sign in</button>
        </form>
      </section>
      {devAvailable ? (
        <section class="card" aria-labelledby="dev-sign-in-title">
          <h2 id="dev-sign-in-title">Sign in for development</h2>
          <p class="hint small">This gateway runs in development and signs a 12-hour token for any subject.</p>
          <form onSubmit={(e) => void useDevelopment(e)} noValidate>
            <div class="field">
              <label for="dev-subject">Subject</label>
              <input id="dev-subject" type="text" autoComplete="username" value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
            </div>
            <div class="field checkbox">
              <input id="dev-admin" type="checkbox" checked={admin} onChange={(e) => setAdmin(e.currentTarget.checked)} />
              <label for="dev-admin">Admin</label>
            </div>
            {/* aria-disabled, not disabled, while busy: a disabled button would drop the keyboard focus. */}
            <button type="submit" aria-disabled={busy}>
              {busy ? "Signing in…" : "Sign in for development"}
            </button>
            <Alert text={devError} />
          </form>
        </section>
      ) : null}
    </main>
  );
}
