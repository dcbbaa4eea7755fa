import type { ReactNode, Ref } from "react";
import { Link } from "react-router-dom";
import type { Transfer } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";
import { useWallet } from "../pages/useProfile";
import { Bdi } from "./Bdi";
import { CopyButton } from "./CopyButton";
import { ReceiptActions } from "./ReceiptActions";
import { SaveFavourite } from "./SaveFavourite";

/** The name to show for a party: the masked display name, else the handle. */
export function partyName(p: { handle?: string | null; display_name?: string | null } | null | undefined): string {
  if (!p) return "";
  return p.display_name || (p.handle ? `@${p.handle}` : "");
}

/** The human reference of a transfer (v1.1), when the server sent one. */
function referenceOf(transfer: Transfer): string | null {
  return (transfer as { reference?: string | null }).reference ?? null;
}

/**
 * After money left: the receipt (share, download), the way to the transaction's details, and
 * saving the person as a favourite.
 */
export function PaidFollowUp({ transfer }: { transfer: Transfer }) {
  const { t } = useI18n();
  const handle = transfer.recipient.handle;
  return (
    <>
      <ReceiptActions
        transactionId={transfer.id}
        amount={transfer.amount}
        currency={transfer.currency}
        counterparty={partyName(transfer.recipient)}
        reference={referenceOf(transfer)}
        at={transfer.created_at}
      />
      <div className="actions">
        <Link className="btn" to={`/transactions/${encodeURIComponent(transfer.id)}`} data-testid="see-details">
          {t("pay.see_details")}
        </Link>
        {handle && <SaveFavourite handle={handle} />}
      </div>
    </>
  );
}

interface PaidResultProps {
  transfer: Transfer;
  /** When the answer came (Date.now()): the new balance is the wallet as read after it. */
  at: number;
  focusRef?: Ref<HTMLDivElement>;
  /** The screen's own next steps ("Send again", "Done"). */
  children?: ReactNode;
}

/**
 * The success screen of a payment, shared by Send and paying a link. It replaces the form, so
 * nothing is left to submit twice: amount and to whom (announced and focused), the new balance,
 * the time, the note, the reference (what a shop or support asks for) with Copy, then the follow-up.
 */
export function PaidResult({ transfer, at, focusRef, children }: PaidResultProps) {
  const { t, money, dateTime } = useI18n();
  const wallet = useWallet();
  const reference = referenceOf(transfer);
  // The balance after this payment: the wallet as read after it (read-your-writes), not before.
  const fresh = wallet.data && wallet.dataUpdatedAt >= at ? (wallet.data.available_balance ?? wallet.data.balance) : null;
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
      </div>
      <dl className="facts">
        <dt>{t("flows.new_balance")}</dt>
        <dd data-testid="new-balance">{fresh ? <Bdi>{money(fresh, wallet.data?.currency ?? transfer.currency)}</Bdi> : t("common.loading")}</dd>
        <dt>{t("flows.when")}</dt>
        <dd>
          <Bdi>{dateTime(transfer.created_at)}</Bdi>
        </dd>
        {transfer.note && (
          <>
            <dt>{t("flows.note")}</dt>
            <dd>
              <Bdi>{transfer.note}</Bdi>
            </dd>
          </>
        )}
        {reference && (
          <>
            <dt>{t("flows.reference")}</dt>
            <dd className="row wrap">
              <Bdi ltr className="mono" testId="paid-reference">
                {reference}
              </Bdi>
              <CopyButton value={reference} label={t("pay.copy_reference")} />
            </dd>
          </>
        )}
      </dl>
      <PaidFollowUp transfer={transfer} />
      {children}
    </section>
  );
}
