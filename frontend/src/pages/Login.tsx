import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { ErrorBanner, SuccessBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { api } from "../api/endpoints";
import { useI18n } from "../i18n/I18nProvider";
import { useSession } from "../session/SessionProvider";
import { validateRequired } from "../lib/validation";
import { focusFirstInvalid } from "../lib/focus";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { normaliseRecipient } from "../lib/phone";

export function Login() {
  const { t, lang } = useI18n();
  const { login } = useSession();
  // A language picked here is saved to the profile after signing in: the app follows the
  // profile's preference once signed in, which would otherwise switch it back.
  const [switched, setSwitched] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const state = location.state as { from?: string; passwordReset?: boolean } | null;
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useDocumentTitle(t("auth.login"), t("app.name"));

  const errors = { username: validateRequired(username), password: validateRequired(password) };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errors.username || errors.password) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // A phone typed as 010... is the account's +2010... (handles and e-mails are left alone).
      await login(normaliseRecipient(username), password);
      if (switched) await api.updateMe({ preferences: { language: lang } }).catch(() => undefined);
      navigate(state?.from ?? "/", { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <LanguageSwitch onSwitch={() => setSwitched(true)} />
        <h1>{t("auth.login_title")}</h1>
        <SuccessBanner>{state?.passwordReset && !error ? t("reset.done") : null}</SuccessBanner>
        <ErrorBanner error={error} />
        <Field
          label={t("auth.username")}
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={touched && errors.username ? t(errors.username) : null}
        />
        <Field
          label={t("auth.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={touched && errors.password ? t(errors.password) : null}
        />
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? t("common.loading") : t("auth.login")}
        </button>
        <p>
          <Link to="/forgot-password">{t("auth.forgot")}</Link>
        </p>
        <p>
          {t("auth.no_account")} <Link to="/register">{t("auth.create")}</Link>
        </p>
      </form>
    </main>
  );
}
