import { credits } from "../format.js";
import { GrantCreditsForm } from "./grant-credits-form.js";
import type { AdminUser } from "./use-user-search.js";

interface UserRowProps {
  user: AdminUser;
  open: boolean;
  onToggle(): void;
  onGranted(user: AdminUser): void;
}

/** One user of the search: subject, email, role, balance, and its grant form below when open. */
export function UserRow({ user, open, onToggle, onGranted }: UserRowProps) {
  const formId = `grant-${user.id}`;
  return (
    <>
      <tr data-subject={user.subject}>
        <th scope="row" class="mono">
          {user.subject}
        </th>
        <td>{user.email ?? <span class="muted">—</span>}</td>
        <td>{user.role === "ADMIN" ? "Admin" : "User"}</td>
        <td class="num balance-cell">{credits(user.balance)}</td>
        <td>
          <button type="button" class="secondary small-button" aria-expanded={open} aria-controls={open ? formId : undefined} onClick={onToggle}>
            Grant credits
            <span class="visually-hidden"> to {user.subject}</span>
          </button>
        </td>
      </tr>
      {open ? (
        <tr class="grant-row">
          <td colSpan={5} id={formId}>
            <GrantCreditsForm user={user} onGranted={onGranted} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
