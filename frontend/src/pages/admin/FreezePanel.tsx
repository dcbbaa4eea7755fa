import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { adminApi, type AdminUser, type AdminWallet } from "../../api/admin";
import { ErrorBanner, SuccessBanner } from "../../components/ErrorBanner";
import { useI18n } from "../../i18n/I18nProvider";
import { SUPPORT_EMAIL } from "../../lib/support";

/**
 * Freeze or unfreeze a wallet: a reason is required (a freeze's reason is what the owner is told;
 * an unfreeze's goes to the audit log), then an explicit confirmation that says what will happen,
 * because both block or release someone's money. The call proposes it (202): it takes effect when
 * a second admin approves it, which the panel says.
 */
export function FreezePanel({ user, wallet }: { user: AdminUser; wallet: AdminWallet }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const freezing = wallet.status !== "frozen";
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const questionRef = useRef<HTMLParagraphElement>(null);
  const reasonId = useId();
  // Isolated: a Latin name inside Arabic text (or the reverse) keeps its own direction.
  const name = `\u2068${user.full_name}\u2069`;

  const action = useMutation({
    mutationFn: () => (freezing ? adminApi.freeze(user.user_id, reason.trim()) : adminApi.unfreeze(user.user_id, reason.trim())),
    onSuccess: async () => {
      setDone(t(freezing ? "adm.freeze.proposed" : "adm.unfreeze.proposed", { name }));
      setReason("");
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ["admin", "wallet", user.user_id] });
    },
  });

  useEffect(() => {
    if (confirming) questionRef.current?.focus();
  }, [confirming]);

  const review = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    action.reset();
    if (!reason.trim()) {
      setReasonError(t("adm.reason.required"));
      return;
    }
    setReasonError(null);
    setConfirming(true);
  };

  return (
    <div className="admin-freeze" data-testid="freeze-panel">
      <h3 className="h3">{t(freezing ? "adm.freeze.title" : "adm.unfreeze.title")}</h3>
      <SuccessBanner>{done}</SuccessBanner>
      {!confirming ? (
        <form onSubmit={review} noValidate>
          <div className="field">
            <label htmlFor={reasonId}>{t(freezing ? "adm.freeze.reason" : "adm.unfreeze.reason")}</label>
            <textarea
              id={reasonId}
              value={reason}
              maxLength={500}
              required
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={`${reasonId}-hint${reasonError ? ` ${reasonId}-err` : ""}`}
              onChange={(e) => setReason(e.target.value)}
            />
            <span className="hint" id={`${reasonId}-hint`}>
              {freezing ? t("adm.freeze.hint", { email: SUPPORT_EMAIL }) : t("adm.unfreeze.hint")}
            </span>
            {reasonError && (
              <span className="field-error" id={`${reasonId}-err`}>
                {reasonError}
              </span>
            )}
          </div>
          <button type="submit" className="btn btn-primary">
            {t(freezing ? "adm.freeze.review" : "adm.unfreeze.review")}
          </button>
        </form>
      ) : (
        <div className="admin-confirm" role="group" aria-labelledby={`${reasonId}-q`}>
          <p id={`${reasonId}-q`} tabIndex={-1} ref={questionRef}>
            {freezing ? t("adm.freeze.question", { name, reason: `\u2068${reason.trim()}\u2069` }) : t("adm.unfreeze.question", { name })}
          </p>
          <ErrorBanner error={action.error} />
          <div className="row">
            <button type="button" className="btn btn-primary" disabled={action.isPending} onClick={() => action.mutate()}>
              {t(freezing ? "adm.freeze.confirm" : "adm.unfreeze.confirm")}
            </button>
            <button type="button" className="btn" disabled={action.isPending} onClick={() => setConfirming(false)}>
              {t("adm.cancel")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
