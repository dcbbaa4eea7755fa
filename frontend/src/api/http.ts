// One fetch wrapper for the whole app: bearer token from memory, one transparent refresh on 401,
// RFC 9457 problem+json turned into ApiError. Tokens never touch localStorage/sessionStorage:
// the access token lives in this module, the refresh token in the httpOnly cookie the auth
// service sets (Path=/api/v1/auth, SameSite=Strict), which scripts cannot read. Every request
// says `X-Refresh-Transport: cookie`, so sign-in and refresh answers carry the refresh token in
// that cookie only, never in a body a script could read.

import { clearSessionHint } from "../session/hint";

/** Asks the auth service to keep the refresh token in the httpOnly cookie only. */
export const REFRESH_TRANSPORT = { "X-Refresh-Transport": "cookie" } as const;

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  readonly requestId?: string;
  /** Seconds from a 429/423 `Retry-After` header (a resend countdown starts from it). */
  readonly retryAfter?: number;
  /** The whole problem document, extension members included (e.g. `frozen_wallet`). */
  readonly problem: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    detail: string,
    errors: FieldError[] = [],
    requestId?: string,
    retryAfter?: number,
    problem: Record<string, unknown> = {},
  ) {
    super(detail);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
    this.problem = problem;
  }

  /** True when the outcome is unknown (the request may or may not have been applied). */
  get outcomeUnknown(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === "idempotency_in_progress";
  }
}

type Listener = (token: string | null) => void;

let accessToken: string | null = null;
const listeners = new Set<Listener>();
let refreshing: Promise<string | null> | null = null;

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
  listeners.forEach((l) => l(token));
}

export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function toApiError(resp: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await resp.json()) as Record<string, unknown>;
  } catch {
    // A non-JSON error (proxy page, empty body): keep the status, use a generic code.
  }
  const code = typeof body.code === "string" ? body.code : resp.status >= 500 ? "server_error" : "http_error";
  const detail = typeof body.detail === "string" ? body.detail : typeof body.title === "string" ? body.title : resp.statusText;
  const errors = Array.isArray(body.errors) ? (body.errors as FieldError[]) : [];
  return new ApiError(resp.status, code, detail, errors, resp.headers.get("X-Request-ID") ?? undefined, retryAfterSeconds(resp), body);
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 10.2.3); undefined if absent. */
function retryAfterSeconds(resp: Response): number | undefined {
  const raw = resp.headers.get("Retry-After");
  if (!raw) return undefined;
  const seconds = /^\d+$/.test(raw.trim()) ? Number(raw) : Math.ceil((Date.parse(raw) - Date.now()) / 1000);
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}

/** Exchanges the refresh cookie for a new access token; concurrent callers share one call. */
export function refreshAccessToken(): Promise<string | null> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const resp = await fetch("/api/v1/auth/refresh", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", ...REFRESH_TRANSPORT },
          body: "{}",
        });
        if (!resp.ok) {
          if (resp.status === 401) clearSessionHint();
          setAccessToken(null);
          return null;
        }
        const data = (await resp.json()) as { access_token: string };
        setAccessToken(data.access_token);
        return data.access_token;
      } catch {
        setAccessToken(null);
        return null;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Skip the bearer token and the refresh-on-401 (login, register). */
  anonymous?: boolean;
}

export function buildUrl(path: string, query?: RequestOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method: string, path: string, opts: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: "application/json, application/problem+json",
    ...REFRESH_TRANSPORT,
    ...opts.headers,
  };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (token && !opts.anonymous) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: "same-origin",
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "The network request failed.");
  }
}

/** A 401 that refuses the password typed to confirm an action (not the token): no refresh, no retry. */
async function refusesCredentials(resp: Response): Promise<boolean> {
  try {
    return ((await resp.clone().json()) as { code?: unknown }).code === "invalid_credentials";
  } catch {
    return false;
  }
}

/** Raw response (for downloads and streams) with the same auth and refresh rules. */
export async function rawRequest(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  let resp = await send(method, path, opts, accessToken);
  if (resp.status === 401 && !opts.anonymous && !(await refusesCredentials(resp))) {
    const token = await refreshAccessToken();
    if (token) resp = await send(method, path, opts, token);
  }
  if (!resp.ok) throw await toApiError(resp);
  return resp;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const resp = await rawRequest(method, path, opts);
  if (resp.status === 204 || resp.headers.get("Content-Length") === "0") return undefined as T;
  const text = await resp.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
