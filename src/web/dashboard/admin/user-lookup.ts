import { createContext } from "preact";
import { useCallback, useContext, useState } from "preact/hooks";

/** A request to show one subject in the Users panel; `n` tells two requests for the same subject apart. */
export interface UserLookup {
  subject: string;
  n: number;
}

/** For admins: shows a subject in the Users panel (a job owner's button); null for everyone else. */
export const UserLookupContext = createContext<((subject: string) => void) | null>(null);

export const useUserLookup = () => useContext(UserLookupContext);

/** The Users panel's latest lookup, and the function that asks for one. */
export function useUserLookupState(): [UserLookup | null, (subject: string) => void] {
  const [lookup, setLookup] = useState<UserLookup | null>(null);
  const find = useCallback((subject: string) => setLookup((last) => ({ subject, n: (last?.n ?? 0) + 1 })), []);
  return [lookup, find];
}
