import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { adminApi, type AdminUser, type AdminWallet, type LimitName } from "../../api/admin";
import { ErrorBanner, SuccessBanner } from "../../components/ErrorBanner";
import { useI18n } from "../../i18n/I18nProvider";

const NAMES: LimitName[] = ["per_transaction", "daily", "monthly"];
// What the server accepts: above zero, at most 2 fraction digits (it also checks the ceilings).
const MONEY = /^(?:\d{1,18})(?:\.\d{1,2})?$/;

/**
 * Change a wallet's own spending limits (money sent out). A limit left empty stays as it is. Like
 * a freeze, the call proposes it (202) and a second admin's approval carries it out, which the
 * panel says; the wallet's limits shown above change only then.
 */
export function LimitsPanel({ user, wallet }: { user: AdminUser; wallet: AdminWallet }) {
  const { t, money } = useI18n();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<LimitName, string>>({ per_transaction: "", daily: "", monthly: "" });
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const baseId = useId();
  const name = `\u2068${user.full_name}\u2069`;
  const overrides = wallet.limit_overrides;

  const action = useMutation({
    mutationFn: (changes: Partial<Record<LimitName, string>>) => adminApi.setLimits(user.user_id, changes, reason.trim()),
    onSuccess: async () => {
      setDone(t("adm.limits.proposed", { name }));
      setValues({ per_transaction: "", daily: "", monthly: "" });
      setReason("");
      await queryClient.invalidateQueries({ queryKey: ["admin", "wallet", user.user_id] });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    action.reset();
    const changes: Partial<Record<LimitName, string>> = {};
    for (const limit of NAMES) {
      const value = values[limit].trim();
      if (!value) continue;
      if (!MONEY.test(value) || Number(value) <= 0) {
        setProblem(t("adm.limits.invalid"));
        return;
      }
      changes[limit] = value;
    }
    if (Object.keys(changes).length === 0) {
      setProblem(t("adm.limits.none"));
      return;
    }
    if (!reason.trim()) {
      setProblem(t("adm.reason.required"));
      return;
    }
    setProblem(null);
    action.mutate(changes);
  };

  return (
    <div className="admin-freeze" data-testid="limits-panel">
      <h3 className="h3">{t("adm.limits.title")}</h3>
      <SuccessBanner>{done}</SuccessBanner>
      <form onSubmit={submit} noValidate>
        {NAMES.map((limit) => (
          <div className="field" key={limit}>
            <label htmlFor={`${baseId}-${limit}`}>{t(`adm.limits.${limit}`)}</label>
            <input
              id={`${baseId}-${limit}`}
              inputMode="decimal"
              dir="ltr"
              value={values[limit]}
              onChange={(e) => setValues({ ...values, [limit]: e.target.value })}
              aria-describedby={wallet.limits?.[limit] ? `${baseId}-${limit}-hint` : undefined}
            />
            {wallet.limits?.[limit] && (
              <span className="hint" id={`${baseId}-${limit}-hint`}>
                {t(overrides?.[limit] ? "adm.limits.now_own" : "adm.limits.now_default", {
                  amount: money(wallet.limits[limit], wallet.currency),
                })}
              </span>
            )}
          </div>
        ))}
        <div className="field">
          <label htmlFor={`${baseId}-reason`}>{t("adm.limits.reason")}</label>
          <textarea id={`${baseId}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </div>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <ErrorBanner error={action.error} />
        <button type="submit" className="btn btn-primary" disabled={action.isPending}>
          {t("adm.limits.submit")}
        </button>
      </form>
    </div>
  );
}
