import { useState } from "preact/hooks";
import { adoptToken, clearSession, readToken, storeToken } from "./auth/token-store.js";
import { SignIn } from "./auth/sign-in.js";
import { Dashboard } from "./dashboard.js";
import { TopBar } from "./ui/top-bar.js";

/**
 * Signed out: the sign-in form; signed in: the dashboard for that token.
 * `linkedToken`: the token an app linked the user in with (`#token=…`),
 * signed in with as a pasted one is (a refused one lands on the form with
 * the reason).
 */
export function App({ linkedToken = null }: { linkedToken?: string | null }) {
  const [token, setToken] = useState(() => {
    if (!linkedToken) return readToken();
    adoptToken(linkedToken);
    return linkedToken;
  });
  const [notice, setNotice] = useState<string | null>(null);
  // Signed in on this page (not a token kept from before a reload): the dashboard takes the keyboard focus.
  const [signedInHere, setSignedInHere] = useState(linkedToken !== null);

  const signOut = (reason: string | null = null) => {
    clearSession();
    setNotice(reason);
    setToken(null);
  };

  if (!token) {
    return (
      <>
        <TopBar me={null} live={null} />
        <SignIn
          notice={notice}
          onSignedIn={(next) => {
            storeToken(next);
            setNotice(null);
            setSignedInHere(true);
            setToken(next);
          }}
        />
      </>
    );
  }
  return <Dashboard key={token} token={token} focusOnStart={signedInHere} onSignOut={() => signOut()} onRejected={(reason) => signOut(reason)} />;
}
