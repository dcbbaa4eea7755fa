// Scheduled and recurring transfers (`/api/v1/scheduled-transfers`), types from the generated OpenAPI.
import type { ApiBody, ApiResponse } from "./generated";
import { request } from "./http";
import type { Page } from "./models";

export type Repeat = "none" | "weekly" | "monthly";

interface ContractSchedule {
  id: string;
  status: "active" | "paused" | "cancelled" | "completed";
  recipient: { user_id: string; handle: string | null; display_name: string | null };
  amount: string;
  currency: string;
  note: string | null;
  repeat: Repeat;
  start_at: string;
  end_after: number | null;
  runs: number;
  next_run_at: string | null;
  last_run_at: string | null;
  last_outcome: string | null;
  last_transfer_id: string | null;
  created_at: string;
  updated_at: string;
}

export type Schedule = ApiResponse<"/api/v1/scheduled-transfers", "post", ContractSchedule>;
export type SchedulePage = ApiResponse<"/api/v1/scheduled-transfers", "get", Page<ContractSchedule>>;
export type ScheduleIn = ApiBody<
  "/api/v1/scheduled-transfers",
  "post",
  { recipient: string; amount: string; note?: string; pin: string; start_at: string; repeat: Repeat; end_after?: number }
>;
export type ScheduleChange = ApiBody<
  "/api/v1/scheduled-transfers/{schedule_id}",
  "patch",
  { amount?: string; status?: "active" | "paused"; pin?: string }
>;

const path = (id: string) => `/api/v1/scheduled-transfers/${encodeURIComponent(id)}`;

export const schedulesApi = {
  list: () => request<SchedulePage>("GET", "/api/v1/scheduled-transfers?limit=100"),
  /** The Idempotency-Key (optional on the server) makes a retry after a lost answer the same schedule. */
  create: (key: string, body: ScheduleIn) =>
    request<Schedule>("POST", "/api/v1/scheduled-transfers", { body, headers: { "Idempotency-Key": key } }),
  change: (id: string, body: ScheduleChange) => request<Schedule>("PATCH", path(id), { body }),
  cancel: (id: string) => request<void>("DELETE", path(id)),
};

/** `datetime-local` input value (the device's local time) -> an RFC 3339 instant, or null. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** The `datetime-local` value of `date` in the device's local time (minutes). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
