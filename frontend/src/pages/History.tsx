import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api } from "../api/endpoints";
import { ErrorBanner } from "../components/ErrorBanner";
import { Empty, Loading } from "../components/States";
import { TransactionRow } from "../components/TransactionRow";
import { useI18n } from "../i18n/I18nProvider";

const NO_FILTERS: Filters = { direction: "", type: "", from: "", to: "", counterparty: "" };

/** The text after the user stopped typing for `ms` (one request per pause, not per key); an
 * emptied field counts at once (clearing a filter shows everything without a stale request). */
function useSettled(value: string, ms = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return value ? settled : value;
}

interface Filters {
  direction: string;
  type: string;
  from: string;
  to: string;
  counterparty: string;
}

export function History() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const counterparty = useSettled(filters.counterparty.trim());
  // ISO days compare as text. A From after To is said at once; the server would refuse it too.
  const badRange = Boolean(filters.from && filters.to && filters.from > filters.to);
  const sentinel = useRef<HTMLDivElement>(null);
  const query = useInfiniteQuery({
    queryKey: ["transactions", "history", { ...filters, counterparty }],
    enabled: !badRange,
    queryFn: ({ pageParam }) =>
      api.transactions({
        limit: "20",
        cursor: pageParam ?? undefined,
        direction: filters.direction || undefined,
        type: filters.type || undefined,
        // Dates are days; the API wants instants: the whole of the chosen days, in UTC.
        from: filters.from ? `${filters.from}T00:00:00Z` : undefined,
        to: filters.to ? `${filters.to}T23:59:59Z` : undefined,
        // Part of a name or handle is enough ("Bassem" finds "Bassem Y."); a phone or e-mail names one person.
        counterparty: counterparty || undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver((entries) => {
      if (entries[0]?.isIntersecting && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setFilters({ ...filters, [k]: e.target.value });
  const items = badRange ? [] : (query.data?.pages.flatMap((p) => p.items) ?? []);
  const filtered = Object.values(filters).some(Boolean);

  return (
    <section className="card">
      <h1>{t("hist.title")}</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-dir">{t("hist.direction")}</label>
          <select id="f-dir" value={filters.direction} onChange={set("direction")}>
            <option value="">{t("common.all")}</option>
            <option value="in">{t("hist.in")}</option>
            <option value="out">{t("hist.out")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-type">{t("hist.type")}</label>
          <select id="f-type" value={filters.type} onChange={set("type")}>
            <option value="">{t("common.all")}</option>
            <option value="transfer">{t("hist.type.transfer")}</option>
            <option value="topup">{t("hist.type.topup")}</option>
            <option value="withdrawal">{t("hist.type.withdrawal")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("common.from")}</label>
          <input
            id="f-from"
            type="date"
            value={filters.from}
            onChange={set("from")}
            aria-invalid={badRange || undefined}
            aria-describedby={badRange ? "f-range-error" : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("common.to")}</label>
          <input id="f-to" type="date" value={filters.to} onChange={set("to")} />
        </div>
        <div className="field">
          <label htmlFor="f-cp">{t("hist.counterparty")}</label>
          <input id="f-cp" dir="auto" value={filters.counterparty} onChange={set("counterparty")} aria-describedby="f-cp-hint" />
          <small id="f-cp-hint" className="muted">
            {t("hist.counterparty_hint")}
          </small>
        </div>
        {filtered && (
          <button type="button" className="btn" onClick={() => setFilters(NO_FILTERS)}>
            {t("hist.clear")}
          </button>
        )}
      </form>
      {badRange && (
        <p className="banner banner-error" role="alert" id="f-range-error" data-testid="range-error">
          {t("hist.range_invalid")}
        </p>
      )}
      {query.isPending && !badRange && <Loading />}
      {/* Always in the page (a region inserted with its text is not always read out): tells a
          screen-reader user what a filter change found, which sighted users see in the list. */}
      <p className="sr-only" role="status" data-testid="history-count">
        {query.isSuccess ? t(hasNextPage ? "hist.shown_more" : "hist.shown", { n: items.length }) : ""}
      </p>
      <ErrorBanner error={query.error} />
      {query.isSuccess && items.length === 0 && <Empty />}
      <ul className="list" data-testid="history-list">
        {items.map((tx) => (
          <TransactionRow key={tx.id} tx={tx} />
        ))}
      </ul>
      <div ref={sentinel} />
      {hasNextPage && (
        <button type="button" className="btn" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
          {isFetchingNextPage ? t("common.loading") : t("common.load_more")}
        </button>
      )}
      {query.isSuccess && items.length > 0 && !hasNextPage && <p className="muted">{t("hist.end")}</p>}
    </section>
  );
}
