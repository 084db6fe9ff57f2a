import { useState } from "preact/hooks";
import { GrantCreditsMutation } from "../api/admin-operations.js";
import { credits, messageOf } from "../format.js";
import { useSession } from "../session.js";
import { StatusMessage, type Message } from "../ui/message.js";
import { readGrantInput } from "./grant-input.js";
import type { AdminUser } from "./use-user-search.js";

/** Adds credits to one user (or takes them back); says the new balance or the gateway's refusal. */
export function GrantCreditsForm({ user, onGranted }: { user: AdminUser; onGranted(user: AdminUser): void }) {
  const { request } = useSession();
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [issue, setIssue] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { amount: `grant-amount-${user.id}`, reason: `grant-reason-${user.id}`, issue: `grant-issue-${user.id}` };

  async function submit(event: Event) {
    event.preventDefault();
    const input = readGrantInput(amount, reason);
    setMessage(null);
    if (!input.ok) {
      setIssue(input.issue);
      return;
    }
    setIssue(null);
    setBusy(true);
    try {
      const { grantCredits: granted } = await request(GrantCreditsMutation, { userId: user.id, amount: input.amount, reason: input.reason });
      onGranted(granted);
      const change = input.amount > 0 ? `Granted ${credits(input.amount)}` : `Took back ${credits(-input.amount)}`;
      setMessage({ kind: "ok", text: `${change}. New balance of ${granted.subject}: ${credits(granted.balance)}.` });
      setAmount("");
      setReason("");
    } catch (err) {
      setMessage({ kind: "error", text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="grant-form" onSubmit={(event) => void submit(event)} noValidate aria-label={`Grant credits to ${user.subject}`}>
      <div class="grant-fields">
        <div class="field">
          <label for={ids.amount}>Amount</label>
          <input
            id={ids.amount}
            type="number"
            step={1}
            value={amount}
            aria-invalid={issue ? true : undefined}
            aria-describedby={issue ? ids.issue : undefined}
            onInput={(e) => setAmount(e.currentTarget.value)}
          />
        </div>
        <div class="field grow">
          <label for={ids.reason}>Reason (optional)</label>
          <input id={ids.reason} type="text" maxLength={1_000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? "Granting…" : "Grant"}
        </button>
      </div>
      {issue ? (
        <p id={ids.issue} class="issue small">
          {issue}
        </p>
      ) : null}
      <StatusMessage message={message} small />
    </form>
  );
}
