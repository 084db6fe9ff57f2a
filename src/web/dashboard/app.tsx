import { useState } from "preact/hooks";
import { clearSession, readToken, storeToken } from "./auth/token-store.js";
import { SignIn } from "./auth/sign-in.js";
import { Dashboard } from "./dashboard.js";
import { TopBar } from "./ui/top-bar.js";

/** Signed out: the sign-in form; signed in: the dashboard for that token. */
export function App() {
  const [token, setToken] = useState(readToken);
  const [notice, setNotice] = useState<string | null>(null);

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
            setToken(next);
          }}
        />
      </>
    );
  }
  return <Dashboard key={token} token={token} onSignOut={() => signOut()} onRejected={(reason) => signOut(reason)} />;
}
