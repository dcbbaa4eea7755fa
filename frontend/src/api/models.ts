// Response shapes the screens use. Each exported type is the generated OpenAPI type of its route
// (generated.ts) when the route exists, else the contract's shape written here (Contract*).
import type { ApiResponse } from "./generated";

export type Money = string;

interface ContractTokenResponse {
  access_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
}

export interface Preferences {
  language: "en" | "ar";
  notify_email: boolean;
  notify_sms: boolean;
  notify_push: boolean;
}

interface ContractProfile {
  user_id: string;
  full_name: string;
  email: string;
  phone: string;
  handle: string;
  created_at: string;
  preferences: Preferences;
}

/** v1.1: `GET /users/me` says whether the phone and the e-mail are proven (see `verified` below). */
interface ContractVerification {
  phone_verified: boolean;
  email_verified: boolean;
}

interface ContractLookupResult {
  user_id: string;
  handle: string;
  display_name: string;
}

export interface Limits {
  per_transaction: Money;
  daily: Money;
  daily_remaining: Money;
  monthly: Money;
  monthly_remaining: Money;
}

interface ContractWallet {
  account_id: string;
  balance: Money;
  currency: string;
  status: string;
  limits: Limits;
}

export interface Party {
  user_id: string;
  handle: string;
  display_name?: string;
}

interface ContractTransfer {
  id: string;
  status: string;
  amount: Money;
  currency: string;
  sender: Party;
  recipient: Party;
  note: string | null;
  created_at: string;
}

interface ContractTransaction {
  id: string;
  type: "transfer" | "topup" | "withdrawal" | string;
  direction: "in" | "out";
  amount: Money;
  currency: string;
  balance_after: Money;
  counterparty: Party | null;
  transfer_id: string | null;
  note: string | null;
  status: string;
  created_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

interface ContractPaymentRequest {
  id: string;
  status: "pending" | "accepted" | "declined" | "cancelled" | string;
  amount: Money;
  currency?: string;
  note?: string | null;
  requester?: Party;
  payer?: Party;
  created_at?: string;
  [extra: string]: unknown;
}

interface ContractSession {
  id: string;
  created_at: string;
  last_used_at: string | null;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

interface ContractApiClient {
  client_id: string;
  name: string;
  scopes: string[];
  created_at?: string;
}

interface ContractCreatedApiClient extends ContractApiClient {
  client_secret: string;
}

interface ContractNotification {
  id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown> | null;
  created_at: string;
  read_at: string | null;
}

interface ContractReconciliationItem {
  operation_id: string;
  kind: string;
  amount: Money;
  provider_id?: string | null;
  settled_at?: string | null;
  completed_at?: string | null;
  ledger_amount?: Money | null;
}

interface ContractReconciliation {
  date: string;
  matched: number;
  missing_in_ledger: ContractReconciliationItem[];
  missing_at_provider: ContractReconciliationItem[];
  amount_mismatch: ContractReconciliationItem[];
  ran_at: string | null;
}

export const API_CLIENT_SCOPES = [
  "profile:read",
  "wallet:read",
  "transactions:read",
  "transfers:write",
  "wallet:withdraw",
  "reports:read",
] as const;
/** Scopes that move money: creating a client with one needs the PIN as well as the password. */
export const MONEY_SCOPES: readonly ApiClientScope[] = ["transfers:write", "wallet:withdraw"];
export type ApiClientScope = (typeof API_CLIENT_SCOPES)[number];
export type TokenResponse = ApiResponse<"/api/v1/auth/login", "post", ContractTokenResponse>;
// Partial until the generated schema carries the v1.1 fields (then they are plain booleans).
export type Profile = ApiResponse<"/api/v1/users/me", "get", ContractProfile> & Partial<ContractVerification>;

/**
 * Whether the phone / e-mail is verified. A server that does not report it (no field) predates
 * verification and lets everything through, so the app does not ask for a code it cannot check.
 */
export function verified(profile: Profile | undefined, what: "phone" | "email"): boolean {
  return profile?.[`${what}_verified`] !== false;
}
export type LookupResult = ApiResponse<"/api/v1/users/lookup", "get", ContractLookupResult>;
export type Wallet = ApiResponse<"/api/v1/wallet", "get", ContractWallet>;
export type Transfer = ApiResponse<"/api/v1/transfers", "post", ContractTransfer>;
// The reports are generated types only (reporting-service's schemas.py): no contract fallback.
export type Summary = ApiResponse<"/api/v1/reports/summary", "get", never>;
export type SummaryPoint = Summary["series"][number];
export type TopCounterparty = Summary["top_counterparties"][number];
export type CreatedApiClient = ApiResponse<"/api/v1/auth/clients", "post", ContractCreatedApiClient>;
export type Transaction = ApiResponse<"/api/v1/transactions", "get", Page<ContractTransaction>>["items"][number];
export type PaymentRequest = ApiResponse<"/api/v1/payment-requests", "get", Page<ContractPaymentRequest>>["items"][number];
export type Session = ApiResponse<"/api/v1/auth/sessions", "get", { items: ContractSession[] }>["items"][number];
export type ApiClient = ApiResponse<"/api/v1/auth/clients", "get", { items: ContractApiClient[] }>["items"][number];
export type AppNotification = ApiResponse<"/api/v1/notifications", "get", Page<ContractNotification>>["items"][number];
export type Reconciliation = ApiResponse<"/api/v1/admin/reconciliation", "get", ContractReconciliation>;
export type ReconciliationItem = Reconciliation["missing_in_ledger"][number];
