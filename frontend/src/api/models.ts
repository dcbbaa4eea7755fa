// Shapes of the public API (../shared/API_CONTRACT.md). The generated schema.d.ts is the source
// of truth for paths; these aliases name the response bodies the screens use.

export type Money = string;

export interface TokenResponse {
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

export interface Profile {
  user_id: string;
  full_name: string;
  email: string;
  phone: string;
  handle: string;
  created_at: string;
  preferences: Preferences;
}

export interface LookupResult {
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

export interface Wallet {
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

export interface Transfer {
  id: string;
  status: string;
  amount: Money;
  currency: string;
  sender: Party;
  recipient: Party;
  note: string | null;
  created_at: string;
}

export interface Transaction {
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

export interface PaymentRequest {
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

export interface Session {
  id: string;
  created_at: string;
  last_used_at: string | null;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

export interface ApiClient {
  client_id: string;
  name: string;
  scopes: string[];
  created_at?: string;
}

export interface CreatedApiClient extends ApiClient {
  client_secret: string;
}

export interface SummaryPoint {
  period: string;
  sent: Money;
  received: Money;
  count: number;
}

export interface Counterparty {
  handle: string;
  display_name: string;
  sent: Money;
  received: Money;
  count: number;
}

export interface Summary {
  from: string;
  to: string;
  currency: string;
  total_sent: Money;
  total_received: Money;
  net: Money;
  count_sent: number;
  count_received: number;
  series: SummaryPoint[];
  top_counterparties: Counterparty[];
}

export interface AppNotification {
  id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown> | null;
  created_at: string;
  read_at: string | null;
}

export const API_CLIENT_SCOPES = [
  "profile:read",
  "wallet:read",
  "transactions:read",
  "transfers:write",
  "reports:read",
] as const;
