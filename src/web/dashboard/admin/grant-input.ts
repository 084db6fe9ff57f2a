/** The largest credit amount one grant can carry: GraphQL's Int is 32-bit. */
export const maxGrantAmount = 2_147_483_647;

export type GrantInput = { ok: true; amount: number; reason: string | null } | { ok: false; issue: string };

/**
 * Reads the grant form's fields: a whole number of credits, positive to add or
 * negative to take back, never 0; the reason is optional (blank means none).
 */
export function readGrantInput(amountText: string, reasonText: string): GrantInput {
  const text = amountText.trim();
  if (!/^[+-]?\d+$/.test(text)) return { ok: false, issue: "Give a whole number of credits, e.g. 5 or -5." };
  const amount = Number(text);
  if (amount === 0) return { ok: false, issue: "The amount must not be 0." };
  if (Math.abs(amount) > maxGrantAmount) return { ok: false, issue: `At most ${maxGrantAmount} credits at once.` };
  const reason = reasonText.trim();
  return { ok: true, amount, reason: reason === "" ? null : reason };
}
