import type { LiveState } from "../api/live-client.js";
import { credits } from "../format.js";
import type { Me } from "../session.js";

/** The socket's state, or "interrupted": the socket is up but the job list's stream failed and is being retried. */
type LiveIndicator = LiveState | "interrupted";

const liveLabels: Record<LiveIndicator, string> = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", interrupted: "Updates interrupted" };

interface TopBarProps {
  me: Me | null;
  live: LiveIndicator | null;
  /** Why updates are interrupted. */
  liveError?: string | null;
  onSignOut?(): void;
}

/** The page header: who is signed in, their balance, whether updates are live, and sign out. */
export function TopBar({ me, live, liveError, onSignOut }: TopBarProps) {
  return (
    <header class="top">
      <h1>
        <a href="/">
          <span class="logo" aria-hidden="true" />
          Job gateway
        </a>
      </h1>
      {me ? (
        <div class="who">
          <span class="conn small" data-state={live ?? "connecting"} role="status" title={live === "interrupted" ? (liveError ?? undefined) : undefined}>
            {liveLabels[live ?? "connecting"]}
          </span>
          <span class="small">
            <span class="visually-hidden">Signed in as </span>
            <strong title={me.email ?? undefined}>{me.subject}</strong>
            {me.role === "ADMIN" ? <span class="role">admin</span> : null}
          </span>
          <span class="balance" aria-live="polite">
            Balance: <strong data-testid="balance">{credits(me.balance)}</strong>
          </span>
          <button type="button" class="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      ) : null}
    </header>
  );
}
