// The roles in an access token (a JWT), for showing or hiding screens only: every admin route
// checks the role on the server, so a client that lies here gains nothing but a 403.

export function rolesOf(token: string | null): string[] {
  const payload = token?.split(".")[1];
  if (!payload) return [];
  try {
    const text = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const claims = JSON.parse(text) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}
