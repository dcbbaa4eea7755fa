// The auth service's session hint: a readable cookie ("instapay_session=1", no secret) set with
// the httpOnly refresh cookie at sign-in and refresh, and cleared at logout. Without it there is
// no session to restore, so the app does not ask for a refresh it knows will fail (a first visit
// then logs no 401). The refresh token itself stays in the httpOnly cookie, out of scripts' reach.

export const SESSION_HINT_COOKIE = "instapay_session";

export function hasSessionHint(): boolean {
  return document.cookie.split(";").some((part) => part.trim().startsWith(`${SESSION_HINT_COOKIE}=`));
}

/** Forgets the hint once a refresh has been refused (revoked or expired session). */
export function clearSessionHint(): void {
  document.cookie = `${SESSION_HINT_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
}
