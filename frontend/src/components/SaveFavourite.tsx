import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { paymentsApi } from "../api/payments";
import { useI18n } from "../i18n/I18nProvider";
import { ErrorBanner } from "./ErrorBanner";
import { Field } from "./Field";

/** "Save as favourite" for a person just paid (or seen in a transaction), with an optional nickname. */
export function SaveFavourite({ handle }: { handle: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [nickname, setNickname] = useState("");
  const save = useMutation({
    mutationFn: () => paymentsApi.addFavourite({ recipient: handle, nickname: nickname.trim() || undefined }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["favourites"] }),
  });

  if (save.isSuccess)
    return (
      <p role="status" className="banner banner-ok" data-testid="favourite-saved">
        {t("pay.fav_saved")}
      </p>
    );
  if (!open)
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="save-favourite">
        {t("pay.fav_save")}
      </button>
    );

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit} noValidate className="favourite-form" aria-label={t("pay.fav_save")}>
      <ErrorBanner error={save.error} />
      <Field label={t("pay.fav_nickname")} name="nickname" maxLength={40} autoFocus value={nickname} onChange={(e) => setNickname(e.target.value)} />
      <button type="submit" className="btn btn-primary" disabled={save.isPending}>
        {t("common.save")}
      </button>
    </form>
  );
}
