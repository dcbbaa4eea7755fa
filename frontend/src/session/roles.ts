// The roles and subject in an access token (a JWT), for showing or hiding screens only: every
// admin route checks the role (and a self-approval) on the server, so a client that lies here
// gains nothing but a 403.

function claimsOf(token: string | null): Record<string, unknown> {
  const payload = token?.split(".")[1];
  if (!payload) return {};
  try {
    const text = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const claims = JSON.parse(text) as unknown;
    return claims && typeof claims === "object" ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function rolesOf(token: string | null): string[] {
  const roles = claimsOf(token).roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
}

/** The signed-in user's id (the token's `sub`), or null. */
export function subjectOf(token: string | null): string | null {
  const sub = claimsOf(token).sub;
  return typeof sub === "string" ? sub : null;
}
