import { useEffect, useRef, useState } from "preact/hooks";
import { useSession } from "../session.js";
import { Alert } from "../ui/message.js";
import type { UserLookup } from "./user-lookup.js";
import { UserRow } from "./user-row.js";
import { usersShown, useUserSearch, type AdminUser } from "./use-user-search.js";

/** What the live region says once an answer arrives. */
function foundText(count: number, search: string): string {
  const matching = search ? ` matching “${search}”` : "";
  if (count === 0) return `No users${matching}.`;
  return `${count === usersShown ? `The first ${count}` : count} ${count === 1 ? "user" : "users"}${matching}.`;
}

/** For admins: find users by subject or email, see their balance, and grant them credits. */
export function UsersPanel({ lookup }: { lookup: UserLookup | null }) {
  const session = useSession();
  const [text, setText] = useState("");
  const [openId, setOpenId] = useState<string | null>(null);
  const found = useUserSearch(text);
  const input = useRef<HTMLInputElement>(null);

  // A job owner's button: search for that subject and bring the box into view.
  useEffect(() => {
    if (!lookup) return;
    setText(lookup.subject);
    input.current?.focus();
    input.current?.scrollIntoView({ block: "center" });
  }, [lookup]);

  function granted(user: AdminUser) {
    found.replace(user);
    if (user.id === session.me.id) session.setBalance(user.balance);
  }

  return (
    <section class="card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          found.flush();
        }}
      >
        <div class="field">
          <label for="user-search">Search users</label>
          <input
            id="user-search"
            ref={input}
            type="search"
            autoComplete="off"
            spellcheck={false}
            value={text}
            aria-describedby="user-search-hint"
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <p id="user-search-hint" class="hint small">
            Part of a subject or an email, any case; blank lists everyone.
          </p>
        </div>
      </form>
      <p class="visually-hidden" aria-live="polite" role="status">
        {found.users && !found.loading ? foundText(found.users.length, found.search) : ""}
      </p>
      <Alert text={found.error} />
      {found.users === null ? (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      ) : found.users.length === 0 ? (
        <p class="muted">{foundText(0, found.search)}</p>
      ) : (
        <div class="table-wrap">
          <table id="users-table" aria-busy={found.loading}>
            <caption class="visually-hidden">Users matching the search</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col" class="num">
                  Balance
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {found.users.map((user) => (
                <UserRow key={user.id} user={user} open={openId === user.id} onToggle={() => setOpenId(openId === user.id ? null : user.id)} onGranted={granted} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {found.users && found.users.length === usersShown ? <p class="muted small">The first {usersShown} are shown; narrow the search to find others.</p> : null}
    </section>
  );
}
