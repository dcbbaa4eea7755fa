import type { ReactNode, Ref } from "react";
import { Link } from "react-router-dom";
import type { Transfer } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";
import { Bdi } from "./Bdi";
import { CopyButton } from "./CopyButton";
import { SaveFavourite } from "./SaveFavourite";

/** The name to show for a party: the masked display name, else the handle. */
export function partyName(p: { handle?: string | null; display_name?: string | null } | null | undefined): string {
  if (!p) return "";
  return p.display_name || (p.handle ? `@${p.handle}` : "");
}

/**
 * After money left: its reference (what a shop or support asks for), the way to its details, and
 * saving the person as a favourite. Shared by Send and paying a link.
 */
export function PaidFollowUp({ transfer, showReference = true }: { transfer: Transfer; showReference?: boolean }) {
  const { t } = useI18n();
  const reference = (transfer as { reference?: string | null }).reference;
  const handle = transfer.recipient.handle;
  return (
    <>
      {showReference && reference && (
        <p className="row wrap">
          <span className="muted">{t("flows.reference")}</span>{" "}
          <Bdi ltr className="mono" testId="paid-reference">
            {reference}
          </Bdi>
          <CopyButton value={reference} label={t("pay.copy_reference")} />
        </p>
      )}
      <div className="actions">
        <Link className="btn" to={`/transactions/${encodeURIComponent(transfer.id)}`} data-testid="see-details">
          {t("pay.see_details")}
        </Link>
        {handle && <SaveFavourite handle={handle} />}
      </div>
    </>
  );
}

/** The success card of a payment: amount and to whom, then the follow-up. */
export function PaidResult({ transfer, focusRef, children }: { transfer: Transfer; focusRef?: Ref<HTMLDivElement>; children?: ReactNode }) {
  const { t, money, dateTime } = useI18n();
  return (
    <section className="card narrow success-card" aria-labelledby="paid-h">
      <h1 id="paid-h">{t("flows.sent_title")}</h1>
      <div ref={focusRef} tabIndex={-1} role="status" className="banner banner-ok" data-testid="send-success">
        <p className="big">
          <Bdi>{money(transfer.amount, transfer.currency)}</Bdi>
        </p>
        <p>
          {t("flows.sent_to")} <Bdi testId="sent-to">{partyName(transfer.recipient)}</Bdi>
        </p>
        <p className="muted">{dateTime(transfer.created_at)}</p>
      </div>
      <PaidFollowUp transfer={transfer} />
      {children}
    </section>
  );
}
