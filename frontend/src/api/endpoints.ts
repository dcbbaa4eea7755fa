// Every public endpoint the web app calls, one typed function each.
import type { ApiBody } from "./generated";
import { rawRequest, request } from "./http";
import type {
  ApiClient,
  ApiClientScope,
  AppNotification,
  CreatedApiClient,
  LookupResult,
  Page,
  PaymentRequest,
  Preferences,
  Profile,
  Reconciliation,
  Session,
  Summary,
  TokenResponse,
  Transaction,
  Transfer,
  Wallet,
} from "./models";

const idem = (key: string) => ({ "Idempotency-Key": key });

interface ContractClientCreate {
  name: string;
  scopes: ApiClientScope[];
  password: string;
  pin?: string;
}
// v1.1 adds the password and the PIN; the generated body is used once it has them.
type GeneratedClientCreate = ApiBody<"/api/v1/auth/clients", "post", ContractClientCreate>;
type ClientCreate = GeneratedClientCreate extends { password: string } ? GeneratedClientCreate : ContractClientCreate;

type Channel = "phone" | "email";

export const api = {
  register: (body: ApiBody<"/api/v1/auth/register", "post", { email: string; phone: string; password: string; full_name: string; handle?: string }>) =>
    request<{ user_id: string; email: string; phone: string; handle: string }>("POST", "/api/v1/auth/register", {
      body,
      anonymous: true,
    }),
  login: (body: ApiBody<"/api/v1/auth/login", "post", { username: string; password: string }>) =>
    request<TokenResponse>("POST", "/api/v1/auth/login", { body, anonymous: true }),
  logout: () => request<void>("POST", "/api/v1/auth/logout", { body: {} }),
  sessions: () => request<{ items: Session[] }>("GET", "/api/v1/auth/sessions"),
  revokeSession: (id: string) => request<void>("DELETE", `/api/v1/auth/sessions/${encodeURIComponent(id)}`),
  changePassword: (body: ApiBody<"/api/v1/auth/password", "post", { current_password: string; new_password: string }>) =>
    request<void>("POST", "/api/v1/auth/password", { body }),
  setPin: (body: ApiBody<"/api/v1/auth/pin", "put", { pin: string; password: string }>) => request<void>("PUT", "/api/v1/auth/pin", { body }),
  clients: () => request<{ items: ApiClient[] }>("GET", "/api/v1/auth/clients"),
  createClient: (body: ClientCreate) =>
    request<CreatedApiClient>("POST", "/api/v1/auth/clients", { body }),
  /** 202: a 6-digit code goes to the phone (SMS) or the e-mail; 429 with Retry-After when asked too often. */
  sendCode: (channel: Channel) => request<void>("POST", `/api/v1/auth/verify/${channel}/send`),
  /** 204; 422 invalid_code / code_expired, 429 rate_limited after too many tries. */
  verifyCode: (channel: Channel, code: string) => request<void>("POST", `/api/v1/auth/verify/${channel}`, { body: { code } }),
  /** 202 whether or not the account exists. */
  forgotPassword: (body: ApiBody<"/api/v1/auth/password/forgot", "post", { username: string }>) =>
    request<void>("POST", "/api/v1/auth/password/forgot", { body, anonymous: true }),
  resetPassword: (body: ApiBody<"/api/v1/auth/password/reset", "post", { username: string; code: string; new_password: string }>) =>
    request<void>("POST", "/api/v1/auth/password/reset", { body, anonymous: true }),
  deleteClient: (id: string) => request<void>("DELETE", `/api/v1/auth/clients/${encodeURIComponent(id)}`),

  me: () => request<Profile>("GET", "/api/v1/users/me"),
  updateMe: (body: ApiBody<"/api/v1/users/me", "patch", { full_name?: string; handle?: string; preferences?: Partial<Preferences> }>) =>
    request<Profile>("PATCH", "/api/v1/users/me", { body }),
  lookup: (q: string) => request<LookupResult>("GET", "/api/v1/users/lookup", { query: { q } }),

  wallet: () => request<Wallet>("GET", "/api/v1/wallet"),
  topup: (key: string, body: ApiBody<"/api/v1/wallet/topups", "post", { amount: string; source: { type: "card" | "bank"; reference: string } }>) =>
    request<Transaction>("POST", "/api/v1/wallet/topups", { body, headers: idem(key) }),
  withdraw: (key: string, body: ApiBody<"/api/v1/wallet/withdrawals", "post", { amount: string; destination: { type: "bank"; reference: string }; pin: string }>) =>
    request<Transaction>("POST", "/api/v1/wallet/withdrawals", { body, headers: idem(key) }),
  transfer: (key: string, body: ApiBody<"/api/v1/transfers", "post", { recipient: string; amount: string; note?: string; pin: string }>) =>
    request<Transfer>("POST", "/api/v1/transfers", { body, headers: idem(key) }),
  getTransfer: (id: string) => request<Transfer>("GET", `/api/v1/transfers/${encodeURIComponent(id)}`),
  transactions: (query: Record<string, string | undefined>) =>
    request<Page<Transaction>>("GET", "/api/v1/transactions", { query }),

  paymentRequests: (query: { role: "incoming" | "outgoing"; status?: string; cursor?: string }) =>
    request<Page<PaymentRequest>>("GET", "/api/v1/payment-requests", { query }),
  createPaymentRequest: (body: ApiBody<"/api/v1/payment-requests", "post", { payer: string; amount: string; note?: string }>) =>
    request<PaymentRequest>("POST", "/api/v1/payment-requests", { body }),
  acceptPaymentRequest: (id: string, key: string, pin: string) =>
    request<Transfer>("POST", `/api/v1/payment-requests/${encodeURIComponent(id)}/accept`, {
      body: { pin },
      headers: idem(key),
    }),
  declinePaymentRequest: (id: string) =>
    request<PaymentRequest>("POST", `/api/v1/payment-requests/${encodeURIComponent(id)}/decline`),
  cancelPaymentRequest: (id: string) =>
    request<PaymentRequest>("POST", `/api/v1/payment-requests/${encodeURIComponent(id)}/cancel`),

  summary: (query: { from: string; to: string; granularity: "day" | "week" | "month" }) =>
    request<Summary>("GET", "/api/v1/reports/summary", { query }),
  statementCsv: (query: { from: string; to: string }) =>
    rawRequest("GET", "/api/v1/reports/statement", {
      query: { ...query, format: "csv" },
      headers: { Accept: "text/csv" },
    }),

  notifications: (query: { unread_only?: boolean; cursor?: string; limit?: number }) =>
    request<Page<AppNotification>>("GET", "/api/v1/notifications", { query }),
  readNotification: (id: string) => request<void>("POST", `/api/v1/notifications/${encodeURIComponent(id)}/read`),
  readAllNotifications: () => request<void>("POST", "/api/v1/notifications/read-all"),

  reconciliation: (date: string) => request<Reconciliation>("GET", "/api/v1/admin/reconciliation", { query: { date } }),
};
