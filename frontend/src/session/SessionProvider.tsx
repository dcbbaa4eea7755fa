import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { api } from "../api/endpoints";
import { getAccessToken, onTokenChange, refreshAccessToken, setAccessToken } from "../api/http";
import { clearSessionHint, hasSessionHint } from "./hint";
import { rolesOf } from "./roles";

type Status = "loading" | "signed-in" | "signed-out";

interface SessionValue {
  status: Status;
  /** The signed-in user's roles (from the access token; renewed with it). */
  roles: string[];
  /** Why the last session ended without the person logging out ("revoked": refused by the server). */
  endedBy: "revoked" | null;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>("loading");
  const [roles, setRoles] = useState<string[]>(() => rolesOf(getAccessToken()));
  const [endedBy, setEndedBy] = useState<"revoked" | null>(null);
  const queryClient = useQueryClient();
  // Whether a session was live (so a lost token means it was ended elsewhere), and whether the
  // person is logging out themselves (then nothing needs explaining).
  const live = useRef(false);
  const leaving = useRef(false);
  useEffect(() => {
    live.current = status === "signed-in";
  }, [status]);

  useEffect(() => {
    // On load the access token is gone (memory only): the httpOnly refresh cookie brings it back,
    // if the session hint says there is one; otherwise there is nothing to ask for.
    let alive = true;
    const restored = hasSessionHint() ? refreshAccessToken() : Promise.resolve(null);
    restored.then((token) => alive && setStatus(token ? "signed-in" : "signed-out"));
    const off = onTokenChange((token) => {
      setRoles((prev) => {
        const next = rolesOf(token);
        return next.join() === prev.join() ? prev : next;
      });
      if (token) return;
      // Signed in a moment ago and not logging out: the server refused the session (revoked from
      // another device, password changed). The log-in page says so.
      if (live.current && !leaving.current) setEndedBy("revoked");
      live.current = false;
      // The session ended (refresh refused, revoked elsewhere): drop every cached answer so the
      // next person to log in on this tab never sees this one's data.
      queryClient.clear();
      setStatus("signed-out");
    });
    return () => {
      alive = false;
      off();
    };
  }, [queryClient]);

  const login = useCallback(async (username: string, password: string) => {
    const tokens = await api.login({ username, password });
    setEndedBy(null);
    setAccessToken(tokens.access_token);
    setStatus("signed-in");
  }, []);

  const logout = useCallback(async () => {
    leaving.current = true;
    try {
      await api.logout();
    } finally {
      setEndedBy(null);
      clearSessionHint(); // the server clears it too; this covers a logout that did not reach it
      setAccessToken(null);
      leaving.current = false;
      queryClient.clear();
      setStatus("signed-out");
    }
  }, [queryClient]);

  const value = useMemo(() => ({ status, roles, endedBy, login, logout }), [status, roles, endedBy, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error("useSession outside SessionProvider");
  return ctx;
}
