import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { AdminPanel } from "./admin/admin-panel.js";
import { UserLookupContext, useUserLookupState } from "./admin/user-lookup.js";
import { UsersPanel } from "./admin/users-panel.js";
import { requestGraphQL, type GraphQLRequestError } from "./api/graphql-http.js";
import { createLiveClient, type LiveState } from "./api/live-client.js";
import { MeQuery } from "./api/operations.js";
import { linkedJobIn, withoutLinkedJob } from "./deep-link.js";
import { messageOf } from "./format.js";
import { JobList } from "./jobs/job-list.js";
import { useJobList } from "./jobs/use-job-list.js";
import { SessionContext, type Me, type Session } from "./session.js";
import { createSequencedReads } from "./sequenced-reads.js";
import { SubmitForm } from "./submit/submit-form.js";
import { Alert } from "./ui/message.js";
import { TopBar } from "./ui/top-bar.js";

interface DashboardProps {
  token: string;
  onSignOut(): void;
  /** The gateway refused the token: back to the sign-in form with this reason. */
  onRejected(reason: string): void;
  /** Just signed in: move the keyboard focus into the page once it is ready. */
  focusOnStart?: boolean;
}

/** The signed-in page: header, submit form, job list and, for admins, the queues and users. */
export function Dashboard({ token, onSignOut, onRejected, focusOnStart = false }: DashboardProps) {
  const live = useMemo(() => createLiveClient(token), [token]);
  useEffect(() => () => live.dispose(), [live]);
  const [liveState, setLiveState] = useState<LiveState>("connecting");
  useEffect(() => live.onState((state) => setLiveState(state)), [live]);
  // The job list's stream failed and is being retried, though the socket may be up.
  const [liveError, setLiveError] = useState<string | null>(null);

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

  // Balance reads answer in any order, and a mutation's answer may be newer than a read in flight.
  const meReads = useMemo(
    () =>
      createSequencedReads(
        () => request(MeQuery, {}),
        (data) => setMe(data.me),
        (err) => setError(`Could not read your account: ${messageOf(err)}`),
      ),
    [request],
  );
  useEffect(() => {
    meReads.refresh();
    return () => meReads.dispose();
  }, [meReads]);
  const refreshMe = meReads.refresh;

  const setBalance = useCallback(
    (balance: number) => {
      meReads.supersede();
      setMe((current) => (current ? { ...current, balance } : current));
    },
    [meReads],
  );

  const session = useMemo<Session | null>(
    () => (me ? { request, token, live, me, isAdmin: me.role === "ADMIN", setBalance, refreshMe, reject } : null),
    [request, token, live, me, setBalance, refreshMe, reject],
  );

  return (
    <>
      <TopBar me={me} live={liveState === "live" && liveError ? "interrupted" : liveState} liveError={liveError} onSignOut={onSignOut} />
      {session ? (
        <SessionContext.Provider value={session}>
          <SignedIn session={session} onLiveError={setLiveError} focusOnStart={focusOnStart} />
        </SessionContext.Provider>
      ) : (
        <main class="narrow">
          {error ? <Alert text={error} /> : (
            <p class="muted" aria-busy="true">
              Signing in…
            </p>
          )}
        </main>
      )}
    </>
  );
}

interface SignedInProps {
  session: Session;
  onLiveError(error: string | null): void;
  focusOnStart: boolean;
}

function SignedIn({ session, onLiveError, focusOnStart }: SignedInProps) {
  const list = useJobList(session);
  useEffect(() => onLiveError(list.liveError), [list.liveError, onLiveError]);
  const [userLookup, findUser] = useUserLookupState();
  // A link's job (`?job=<id>`) stays in the address, so a reload shows it again, until "Show all jobs".
  const [linkedJobId, setLinkedJobId] = useState(() => linkedJobIn(location.search));
  const showAll = useCallback(() => {
    history.replaceState(history.state, "", withoutLinkedJob(location.href));
    setLinkedJobId(null);
  }, []);
  return (
    <UserLookupContext.Provider value={session.isAdmin ? findUser : null}>
      <main class="layout">
        <div class="side">
          <SubmitForm onSubmitted={list.upsert} />
        </div>
        <div class="content">
          <JobList list={list} focusOnMount={focusOnStart && !linkedJobId} linkedJobId={linkedJobId} onShowAll={showAll} />
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
