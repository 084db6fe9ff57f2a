import { useCallback, useEffect, useState } from "preact/hooks";
import { UsersQuery } from "../api/admin-operations.js";
import type { AdminUserFieldsFragment } from "../gql/graphql.js";
import { messageOf } from "../format.js";
import { useSession } from "../session.js";
import { useDebounced } from "../ui/use-debounced.js";

export type AdminUser = AdminUserFieldsFragment;

const typingPauseMs = 300;
export const usersShown = 20;

/** The users matching `text` (all users while it is blank), read once typing pauses; an older answer never replaces a newer one. */
export function useUserSearch(text: string) {
  const { request } = useSession();
  const [search, flush] = useDebounced(text.trim(), typingPauseMs);
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let current = true;
    setLoading(true);
    request(UsersQuery, { search: search === "" ? null : search, first: usersShown })
      .then((data) => {
        if (!current) return;
        setUsers(data.users);
        setError(null);
      })
      .catch((err: unknown) => {
        if (current) setError(messageOf(err));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [request, search]);

  /** Puts a user the gateway just answered with (after a grant) in place of the listed one. */
  const replace = useCallback((user: AdminUser) => setUsers((list) => list?.map((listed) => (listed.id === user.id ? user : listed)) ?? list), []);

  return { search, users, error, loading, flush, replace };
}
