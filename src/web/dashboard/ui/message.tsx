/** An outcome for a live region: what went through, or what went wrong. */
export interface Message {
  kind: "ok" | "error";
  text: string;
  /** Listed under the text, in a block message (issues that belong to no field, say). */
  details?: string[];
}

/** An error a screen reader announces at once; nothing while `text` is empty. */
export function Alert({ text, small = false }: { text: string | null | undefined; small?: boolean }) {
  return text ? (
    <p class={small ? "msg error small" : "msg error"} role="alert">
      {text}
    </p>
  ) : null;
}

/**
 * A polite live region that says `message` (nothing while null); it stays
 * in the page so that each new message is announced. `block`: a <div> that
 * may hold `details`, instead of a <p>.
 */
export function StatusMessage({ message, small = false, block = false }: { message: Message | null; small?: boolean; block?: boolean }) {
  const className = `msg ${message?.kind}${small ? " small" : ""}`;
  return (
    <div aria-live="polite" role="status">
      {message === null ? null : block ? (
        <div class={className}>
          {message.text}
          {message.details?.length ? (
            <ul>
              {message.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        <p class={className}>{message.text}</p>
      )}
    </div>
  );
}
