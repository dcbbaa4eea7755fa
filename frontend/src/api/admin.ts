// The operators' endpoints (role admin; the server refuses everyone else with 403), one typed
// function each, with their response types from the generated OpenAPI.
import type { Approval } from "./adminAudit";
import type { ApiResponse } from "./generated";
import { request } from "./http";
import type { Page, Profile, Wallet } from "./models";

interface ContractOverview {
  from: string;
  to: string;
  currency: string;
  users: { total: number; new: number; active: number };
  volume: { transfer: string; topup: string; withdrawal: string };
  counts: { transfer: number; topup: number; withdrawal: number };
  per_day: {
    date: string;
    active_users: number;
    new_users: number;
    transfer_volume: string;
    transfer_count: number;
    topup_volume: string;
    topup_count: number;
    withdrawal_volume: string;
    withdrawal_count: number;
  }[];
}

// Freeze, unfreeze and limit changes are two-person actions: the call proposes (202, an
// Approval), a second admin approves.
export type LimitName = "per_transaction" | "daily" | "monthly";
type ContractAdminWallet = Wallet & {
  user_id: string;
  available_balance: string;
  frozen_reason: string | null;
  frozen_at: string | null;
  // The wallet's own limits set by two admins; null: the default applies.
  limit_overrides: Record<LimitName, string | null>;
};

export type Overview = ApiResponse<"/api/v1/admin/reports/overview", "get", ContractOverview>;
export type OverviewDay = Overview["per_day"][number];
export type AdminUser = ApiResponse<"/api/v1/admin/users/{user_id}", "get", Profile>;
export type AdminUserPage = ApiResponse<"/api/v1/admin/users", "get", Page<AdminUser>>;
export type AdminWallet = ApiResponse<"/api/v1/admin/wallets/{user_id}", "get", ContractAdminWallet>;

const id = (value: string) => encodeURIComponent(value);

export const adminApi = {
  overview: (query: { from: string; to: string }) => request<Overview>("GET", "/api/v1/admin/reports/overview", { query }),
  searchUsers: (query: { q: string; cursor?: string }) => request<AdminUserPage>("GET", "/api/v1/admin/users", { query }),
  user: (userId: string) => request<AdminUser>("GET", `/api/v1/admin/users/${id(userId)}`),
  wallet: (userId: string) => request<AdminWallet>("GET", `/api/v1/admin/wallets/${id(userId)}`),
  freeze: (userId: string, reason: string) =>
    request<Approval>("POST", `/api/v1/admin/wallets/${id(userId)}/freeze`, { body: { reason } }),
  unfreeze: (userId: string, reason: string) =>
    request<Approval>("POST", `/api/v1/admin/wallets/${id(userId)}/unfreeze`, { body: { reason } }),
  // A limit left out stays as it is; null restores the default. Proposed (202), like a freeze.
  setLimits: (userId: string, limits: Partial<Record<LimitName, string | null>>, reason: string) =>
    request<Approval>("POST", `/api/v1/admin/wallets/${id(userId)}/limits`, { body: { ...limits, reason } }),
};
