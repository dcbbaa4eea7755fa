import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Link, useLocation } from "react-router-dom";
import { api } from "../api/endpoints";
import type { Preferences, Profile as ProfileT } from "../api/models";
import { ErrorBanner, SuccessBanner, fieldErrors } from "../components/ErrorBanner";
import { Bdi } from "../components/Bdi";
import { Field } from "../components/Field";
import { Loading } from "../components/States";
import { useI18n, type Lang } from "../i18n/I18nProvider";
import { validateHandle, validateRequired } from "../lib/validation";
import { useProfile } from "./useProfile";
import { focusFirstInvalid } from "../lib/focus";

export function Profile() {
  const { t } = useI18n();
  const profile = useProfile();
  const location = useLocation();
  const justVerified = (location.state as { verified?: string } | null)?.verified === "email";
  return (
    <section className="card narrow">
      <h1>{t("prof.title")}</h1>
      {justVerified && <SuccessBanner>{t("verify.email_done")}</SuccessBanner>}
      {profile.isPending && <Loading />}
      <ErrorBanner error={profile.error} />
      {profile.data && <ProfileForm profile={profile.data} />}
    </section>
  );
}

function ProfileForm({ profile }: { profile: ProfileT }) {
  const { t, setLang } = useI18n();
  const qc = useQueryClient();
  const [fullName, setFullName] = useState(profile.full_name);
  const [handle, setHandle] = useState(profile.handle);
  const [prefs, setPrefs] = useState<Preferences>(profile.preferences);
  const [touched, setTouched] = useState(false);
  const save = useMutation({
    mutationFn: api.updateMe,
    onSuccess: (p) => {
      qc.setQueryData(["me"], p);
      setLang(p.preferences.language);
      // Notification texts are rendered in the reader's language when read: fetch them again.
      void qc.invalidateQueries({ queryKey: ["notifications"] });
    },
  });
  useEffect(() => setPrefs(profile.preferences), [profile.preferences]);
  const errs = { full_name: validateRequired(fullName), handle: validateHandle(handle) };
  const server = fieldErrors(save.error);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.full_name || errs.handle) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (save.isPending) return;
    const body: Parameters<typeof api.updateMe>[0] = { preferences: prefs };
    if (fullName.trim() !== profile.full_name) body.full_name = fullName.trim();
    if (handle.trim() !== profile.handle) body.handle = handle.trim();
    save.mutate(body);
  }

  const toggle = (k: "notify_email" | "notify_sms" | "notify_push") => (
    <label className="inline">
      <input type="checkbox" name={k} checked={prefs[k]} onChange={(e) => setPrefs({ ...prefs, [k]: e.target.checked })} />{" "}
      {t(`prof.${k.slice(7)}`)}
    </label>
  );

  return (
    <form onSubmit={submit} noValidate>
      <ErrorBanner error={save.error} />
      <SuccessBanner>{save.isSuccess ? t("common.saved") : null}</SuccessBanner>
      <dl className="facts">
        <dt>{t("auth.email")}</dt>
        <dd className="verify-row">
          <Bdi ltr testId="profile-email">
            {profile.email}
          </Bdi>
          <VerifiedBadge state={profile.email_verified} to="/verify?channel=email&next=/profile" what={t("auth.email")} />
        </dd>
        <dt>{t("auth.phone")}</dt>
        <dd className="verify-row">
          <Bdi ltr testId="profile-phone">
            {profile.phone}
          </Bdi>
          <VerifiedBadge state={profile.phone_verified} to="/verify?next=/profile" what={t("auth.phone")} />
        </dd>
      </dl>
      <Field label={t("auth.full_name")} name="full_name" value={fullName} onChange={(e) => setFullName(e.target.value)} error={touched && errs.full_name ? t(errs.full_name) : server.full_name} />
      <Field label={t("auth.handle")} name="handle" dir="ltr" value={handle} onChange={(e) => setHandle(e.target.value)} error={touched && errs.handle ? t(errs.handle) : server.handle} hint={t("auth.handle_hint")} />
      <div className="field">
        <label htmlFor="lang">{t("prof.language")}</label>
        <select id="lang" value={prefs.language} onChange={(e) => setPrefs({ ...prefs, language: e.target.value as Lang })}>
          <option value="en" lang="en">
            English
          </option>
          <option value="ar" lang="ar">
            العربية
          </option>
        </select>
      </div>
      <fieldset className="field">
        <legend>{t("prof.channels")}</legend>
        {toggle("notify_email")}
        {toggle("notify_sms")}
        {toggle("notify_push")}
      </fieldset>
      <button className="btn btn-primary" type="submit" disabled={save.isPending}>
        {t("common.save")}
      </button>
    </form>
  );
}

/** "Verified", or "Not verified" with the way to do it; nothing from a server that does not say. */
function VerifiedBadge({ state, to, what }: { state: boolean | undefined; to: string; what: string }) {
  const { t } = useI18n();
  if (state === undefined) return null;
  if (state) return <span className="pill pill-ok">{t("verify.verified")}</span>;
  return (
    <>
      <span className="pill pill-warn">{t("verify.not_verified")}</span>
      <Link to={to} aria-label={t("verify.verify_what", { what })}>
        {t("verify.verify")}
      </Link>
    </>
  );
}
