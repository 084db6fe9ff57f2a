import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { AdminPanel } from "./admin/admin-panel.js";
import { UserLookupContext, useUserLookupState } from "./admin/user-lookup.js";
import { UsersPanel } from "./admin/users-panel.js";
import { requestGraphQL, type GraphQLRequestError } from "./api/graphql-http.js";
import { createLiveClient, type LiveState } from "./api/live-client.js";
import { MeQuery } from "./api/operations.js";
import { JobList } from "./jobs/job-list.js";
import { useJobList } from "./jobs/use-job-list.js";
import { SessionContext, type Me, type Session } from "./session.js";
import { SubmitForm } from "./submit/submit-form.js";
import { TopBar } from "./ui/top-bar.js";

interface DashboardProps {
  token: string;
  onSignOut(): void;
  /** The gateway refused the token: back to the sign-in form with this reason. */
  onRejected(reason: string): void;
}

/** The signed-in page: header, submit form, job list and, for admins, the queues and users. */
export function Dashboard({ token, onSignOut, onRejected }: DashboardProps) {
  const live = useMemo(() => createLiveClient(token), [token]);
  useEffect(() => () => live.dispose(), [live]);
  const [liveState, setLiveState] = useState<LiveState>("connecting");
  useEffect(() => live.onState((state) => setLiveState(state)), [live]);

  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rejected = useRef(onRejected);
  rejected.current = onRejected;

  const reject = useCallback((reason: string) => rejected.current(reason), []);

  const request = useCallback<Session["request"]>(
    async (document, variables) => {
      try {
        return await requestGraphQL(document, variables, token);
      } catch (err) {
        if ((err as GraphQLRequestError).unauthenticated) reject(`The gateway refused the token: ${(err as Error).message}`);
        throw err;
      }
    },
    [token, reject],
  );

  const refreshMe = useCallback(() => {
    request(MeQuery, {})
      .then((data) => setMe(data.me))
      .catch((err: Error) => setError(`Could not read your account: ${err.message}`));
  }, [request]);
  useEffect(refreshMe, [refreshMe]);

  const setBalance = useCallback((balance: number) => setMe((current) => (current ? { ...current, balance } : current)), []);

  const session = useMemo<Session | null>(
    () => (me ? { request, live, me, isAdmin: me.role === "ADMIN", setBalance, refreshMe, reject } : null),
    [request, live, me, setBalance, refreshMe, reject],
  );

  return (
    <>
      <TopBar me={me} live={liveState} onSignOut={onSignOut} />
      {session ? (
        <SessionContext.Provider value={session}>
          <SignedIn session={session} />
        </SessionContext.Provider>
      ) : (
        <main class="narrow">
          {error ? (
            <p class="msg error" role="alert">
              {error}
            </p>
          ) : (
            <p class="muted" aria-busy="true">
              Signing in…
            </p>
          )}
        </main>
      )}
    </>
  );
}

function SignedIn({ session }: { session: Session }) {
  const list = useJobList(session);
  const [userLookup, findUser] = useUserLookupState();
  return (
    <UserLookupContext.Provider value={session.isAdmin ? findUser : null}>
      <main class="layout">
        <div class="side">
          <SubmitForm onSubmitted={list.upsert} />
        </div>
        <div class="content">
          <JobList list={list} />
          {session.isAdmin ? (
            <>
              <AdminPanel />
              <UsersPanel lookup={userLookup} />
            </>
          ) : null}
        </div>
      </main>
    </UserLookupContext.Provider>
  );
}
