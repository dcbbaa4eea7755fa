import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { paymentsApi, type DisputePage } from "../api/payments";
import { Bdi } from "../components/Bdi";
import { ErrorBanner } from "../components/ErrorBanner";
import { Empty, Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";

type Case = DisputePage["items"][number];

function other(c: Case) {
  const p = c.role === "sender" ? c.recipient : c.sender;
  return p.display_name || (p.handle ? `@${p.handle}` : "");
}

/**
 * The problems reported about transfers, of either side: the ones the person reported (with what
 * they wrote) and the ones about money they received (without the reporter's note). Each case
 * links to its transfer, where it was opened.
 */
export function Disputes() {
  const { t, money, dateTime } = useI18n();
  const query = useInfiniteQuery({
    queryKey: ["disputes"],
    queryFn: ({ pageParam }) => paymentsApi.disputes({ cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const cases = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card narrow" aria-labelledby="disp-h">
      <h1 id="disp-h">{t("nav.disputes")}</h1>
      <p className="muted">{t("disp.intro")}</p>
      {query.isPending && <Loading />}
      <ErrorBanner error={query.error} />
      {query.isSuccess && cases.length === 0 && <Empty text={t("disp.none")} />}
      <ul className="tx-list" data-testid="disputes">
        {cases.map((c) => (
          <li key={c.id} className="tx" data-testid="dispute">
            <div className="tx-main">
              <strong>
                <Link to={`/transactions/${encodeURIComponent(c.transaction_id)}`}>
                  {t(c.role === "sender" ? "disp.you_reported" : "disp.about_received", { name: other(c) })}
                </Link>
              </strong>
              <small className="muted">
                {t(`disp.reason.${c.reason}`)} · {dateTime(c.created_at)} ·{" "}
                <Bdi ltr className="mono">
                  {c.reference}
                </Bdi>
              </small>
              {c.note && (
                <small>
                  <Bdi>{c.note}</Bdi>
                </small>
              )}
              {c.resolution_note && (
                <small>
                  {t("disp.outcome")}: <Bdi>{c.resolution_note}</Bdi>
                </small>
              )}
            </div>
            <div className="tx-end">
              <Bdi className="amount">{money(c.amount, c.currency)}</Bdi>
              <span className={`pill pill-${c.status}`} data-testid="dispute-status">
                {t(`disp.status.${c.status}`)}
              </span>
            </div>
          </li>
        ))}
      </ul>
      {query.hasNextPage && (
        <button type="button" className="btn" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {t("common.load_more")}
        </button>
      )}
    </section>
  );
}
