// Development sign-in: the gateway mints tokens at /dev/token only when NODE_ENV=development.
const devTokenPath = "/dev/token";

/** Whether the gateway offers development tokens (`GET /dev/token` → 200 {"available": true}). */
export async function devTokenAvailable(): Promise<boolean> {
  try {
    const response = await fetch(devTokenPath, { headers: { accept: "application/json" } });
    if (!response.ok) return false;
    const body = (await response.json()) as { available?: unknown };
    return body.available === true;
  } catch {
    return false;
  }
}

/** A development token for `subject`; throws with the gateway's reason when it refuses. */
export async function fetchDevToken(subject: string, admin: boolean): Promise<string> {
  const response = await fetch(devTokenPath, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ subject, admin }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: unknown; error?: unknown; message?: unknown };
  if (response.ok && typeof body.token === "string") return body.token;
  const reason = typeof body.error === "string" ? body.error : typeof body.message === "string" ? body.message : `HTTP ${response.status}`;
  throw new Error(`the gateway refused a development token: ${reason}`);
}
