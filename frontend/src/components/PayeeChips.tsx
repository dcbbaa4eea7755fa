import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { paymentsApi, type Favourite } from "../api/payments";
import { useI18n } from "../i18n/I18nProvider";
import { Bdi } from "./Bdi";
import { ErrorBanner } from "./ErrorBanner";

/**
 * One tap to pay someone again: favourites (with their nicknames) and the last ten people paid.
 * A tap hands the handle to Send, which looks it up like a typed one (masked name, self check).
 */
export function PayeeChips({ onPick, disabled }: { onPick: (handle: string) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const favourites = useQuery({ queryKey: ["favourites"], queryFn: paymentsApi.favourites });
  const recent = useQuery({ queryKey: ["recent-recipients"], queryFn: paymentsApi.recent });
  const remove = useMutation({
    mutationFn: (f: Favourite) => paymentsApi.removeFavourite(f.id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["favourites"] }),
  });
  const favs = favourites.data?.items ?? [];
  const saved = new Set(favs.map((f) => f.recipient.user_id));
  // Someone already among the favourites is not shown twice.
  const recents = (recent.data?.items ?? []).filter((r) => !saved.has(r.recipient.user_id) && r.recipient.handle);

  return (
    <>
      <ErrorBanner error={remove.error} />
      {favs.length > 0 && (
        <section aria-labelledby="fav-h" className="payees">
          <h2 id="fav-h" className="h4">
            {t("pay.favourites")}
          </h2>
          <ul className="chips" data-testid="favourites">
            {favs.map((f) => {
              const name = f.nickname || f.recipient.display_name || `@${f.recipient.handle}`;
              return (
                <li key={f.id} className="chip">
                  <button type="button" className="chip-pick" disabled={disabled || !f.recipient.handle} onClick={() => f.recipient.handle && onPick(f.recipient.handle)}>
                    <Bdi>{name}</Bdi>
                  </button>
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={t("pay.fav_remove", { name })}
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(f)}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {recents.length > 0 && (
        <section aria-labelledby="recent-h" className="payees">
          <h2 id="recent-h" className="h4">
            {t("pay.recent")}
          </h2>
          <ul className="chips" data-testid="recent-recipients">
            {recents.map((r) => (
              <li key={r.recipient.user_id} className="chip">
                <button type="button" className="chip-pick" disabled={disabled} onClick={() => onPick(r.recipient.handle!)}>
                  <Bdi>{r.recipient.display_name || `@${r.recipient.handle}`}</Bdi>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
