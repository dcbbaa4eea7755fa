import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { ApiError } from "./api/http";
import { Layout } from "./components/Layout";
import { Loading } from "./components/States";
import { SignedOutNotice } from "./components/SignedOutNotice";
import { I18nProvider } from "./i18n/I18nProvider";
import { AdminLayout } from "./pages/admin/AdminLayout";
import { Approvals as AdminApprovals } from "./pages/admin/Approvals";
import { Audit as AdminAudit } from "./pages/admin/Audit";
import { Disputes as AdminDisputes } from "./pages/admin/Disputes";
import { Overview as AdminOverview } from "./pages/admin/Overview";
import { Reconciliation } from "./pages/admin/Reconciliation";
import { UserDetail as AdminUserDetail } from "./pages/admin/UserDetail";
import { Users as AdminUsers } from "./pages/admin/Users";
import { Dashboard } from "./pages/Dashboard";
import { ForgotPassword } from "./pages/ForgotPassword";
import { History } from "./pages/History";
import { Login } from "./pages/Login";
import { PayLink } from "./pages/PayLink";
import { Profile } from "./pages/Profile";
import { Receive } from "./pages/Receive";
import { Register } from "./pages/Register";
import { Reports } from "./pages/Reports";
import { Requests } from "./pages/Requests";
import { Scheduled } from "./pages/Scheduled";
import { Security } from "./pages/Security";
import { Send } from "./pages/Send";
import { Disputes } from "./pages/Disputes";
import { TransactionDetail } from "./pages/TransactionDetail";
import { Verify } from "./pages/Verify";
import { WalletPage } from "./pages/WalletPage";
import { SessionProvider, useSession } from "./session/SessionProvider";

export function makeQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // A payment refused for an unverified phone means the profile we hold is out of date (say, a
    // claim dropped because another account verified the number first): read it again, so the
    // reminder to verify shows.
    mutationCache: new MutationCache({
      onError: (err) => {
        if (err instanceof ApiError && err.code === "phone_not_verified") void client.invalidateQueries({ queryKey: ["me"] });
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Client errors (404, 403...) will not change on retry; network blips might.
        retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      },
      mutations: { retry: false },
    },
  });
  return client;
}

function RequireSession({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === "loading") return <Loading />;
  if (status === "signed-out") return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function GuestOnly({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === "loading") return <Loading />;
  // Signed in on the log-in screen: back where RequireSession sent the person from (a payment
  // link opened signed out comes back to the link), else home. This renders as soon as the
  // session starts, before the log-in form's own navigate would run.
  const from = (location.state as { from?: string } | null)?.from;
  if (status === "signed-in") return <Navigate to={from && from.startsWith("/") && !from.startsWith("//") ? from : "/"} replace />;
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <GuestOnly>
            <SignedOutNotice />
            <Login />
          </GuestOnly>
        }
      />
      <Route
        path="/forgot-password"
        element={
          <GuestOnly>
            <ForgotPassword />
          </GuestOnly>
        }
      />
      <Route path="/register" element={<Register />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={<Dashboard />} />
        <Route path="send" element={<Send />} />
        <Route path="requests" element={<Requests />} />
        <Route path="scheduled" element={<Scheduled />} />
        <Route path="wallet" element={<WalletPage />} />
        <Route path="history" element={<History />} />
        <Route path="transactions/:id" element={<TransactionDetail />} />
        <Route path="disputes" element={<Disputes />} />
        <Route path="receive" element={<Receive />} />
        <Route path="pay/:token" element={<PayLink />} />
        <Route path="reports" element={<Reports />} />
        <Route path="profile" element={<Profile />} />
        <Route path="security" element={<Security />} />
        <Route path="admin" element={<AdminLayout />}>
          <Route index element={<AdminOverview />} />
          <Route path="users" element={<AdminUsers />} />
          <Route path="users/:userId" element={<AdminUserDetail />} />
          <Route path="reconciliation" element={<Reconciliation />} />
          <Route path="audit" element={<AdminAudit />} />
          <Route path="disputes" element={<AdminDisputes />} />
          <Route path="approvals" element={<AdminApprovals />} />
        </Route>
        <Route path="verify" element={<Verify />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <SessionProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
