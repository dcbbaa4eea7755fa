import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { adminApi, type AdminUser } from "../../api/admin";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Loading } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { VerifiedBadge } from "./badges";

/** Find a user by handle, e-mail, phone or name. The query lives in the URL (?q=), so the back
 * button from a user's page returns to the same results. */
export function Users() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const [typed, setTyped] = useState(q);
  const results = useInfiniteQuery({
    queryKey: ["admin", "users", q],
    queryFn: ({ pageParam }) => adminApi.searchUsers({ q, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: q.trim().length > 0,
  });
  const users = results.data?.pages.flatMap((p) => p.items) ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = typed.trim();
    if (next) setParams({ q: next });
  };

  return (
    <section className="card" aria-labelledby="adm-users-h">
      <h2 id="adm-users-h">{t("adm.users.title")}</h2>
      <form role="search" className="filters" onSubmit={submit}>
        <div className="field">
          <label htmlFor="adm-q">{t("adm.users.q")}</label>
          <input id="adm-q" type="search" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" maxLength={254} />
        </div>
        <button type="submit" className="btn btn-primary">
          {t("adm.users.search")}
        </button>
      </form>
      {results.isPending && results.fetchStatus !== "idle" && <Loading />}
      <ErrorBanner error={results.error} />
      {results.isSuccess && (
        <div role="status" className="muted">
          {users.length === 0 ? t("adm.users.none", { q }) : t("adm.users.count", { n: users.length })}
        </div>
      )}
      {users.length > 0 && (
        <ul className="admin-results" data-testid="admin-user-results">
          {users.map((u) => (
            <UserRow key={u.user_id} user={u} search={`?q=${encodeURIComponent(q)}`} />
          ))}
        </ul>
      )}
      {results.hasNextPage && (
        <button type="button" className="btn" disabled={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
          {t("adm.users.more")}
        </button>
      )}
    </section>
  );
}

function UserRow({ user, search }: { user: AdminUser; search: string }) {
  const { t } = useI18n();
  return (
    <li>
      <Link to={`/admin/users/${encodeURIComponent(user.user_id)}`} state={{ search }}>
        <span className="who">
          <bdi>{user.full_name}</bdi>
        </span>{" "}
        <bdi dir="ltr">@{user.handle}</bdi>
        <span className="muted line">
          <bdi dir="ltr">{user.email}</bdi> · <bdi dir="ltr">{user.phone}</bdi>
        </span>
        <span className="line">
          <VerifiedBadge ok={Boolean(user.phone_verified)} label={t("adm.user.phone")} />
        </span>
      </Link>
    </li>
  );
}
