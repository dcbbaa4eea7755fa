import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { verified } from "../api/models";
import { CodeVerification } from "../components/CodeVerification";
import { ErrorBanner, SuccessBanner } from "../components/ErrorBanner";
import { Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { useProfile } from "./useProfile";

/** Only a path inside the app is followed (`?next=https://evil.tld` is not an open redirect). */
function safeNext(raw: string | null): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/";
}

/**
 * `/verify`: the phone (until it is verified no money moves), then the e-mail, which can wait.
 * Reached from the reminder on every screen, from a `phone_not_verified` refusal, after logging in
 * with an unverified phone, and from Profile (`?channel=email&next=/profile`).
 */
export function Verify() {
  const { t } = useI18n();
  const profile = useProfile();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [phoneDone, setPhoneDone] = useState(false);

  if (profile.isPending) return <Loading />;
  if (profile.error) return <ErrorBanner error={profile.error} />;
  const me = profile.data;
  const phoneLeft = !phoneDone && !verified(me, "phone") && params.get("channel") !== "email";
  const emailLeft = !verified(me, "email");

  function leave(state?: { verified: "email" }) {
    void qc.invalidateQueries({ queryKey: ["me"] });
    navigate(next, { replace: true, state });
  }

  if (phoneLeft) {
    return (
      <section className="card narrow">
        <CodeVerification
          key="phone"
          channel="phone"
          destination={me.phone}
          onVerified={() => {
            setPhoneDone(true);
            void qc.invalidateQueries({ queryKey: ["me"] });
            if (verified(me, "email")) leave();
          }}
        />
      </section>
    );
  }
  if (emailLeft) {
    return (
      <section className="card narrow">
        {phoneDone && <SuccessBanner>{t("verify.phone_done")}</SuccessBanner>}
        <CodeVerification key="email" channel="email" destination={me.email} onVerified={() => leave({ verified: "email" })} onSkip={() => leave()} />
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>{t("verify.title")}</h1>
      <SuccessBanner>{t("verify.all_done")}</SuccessBanner>
      <Link to="/profile">{t("nav.profile")}</Link>
    </section>
  );
}
