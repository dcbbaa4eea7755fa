import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../api/endpoints";
import { useI18n } from "../i18n/I18nProvider";

export function useProfile() {
  return useQuery({ queryKey: ["me"], queryFn: api.me });
}

/** Applies the saved language preference once the profile loads. */
export function useProfileLanguage(): void {
  const { data } = useProfile();
  const { lang, setLang } = useI18n();
  const saved = data?.preferences?.language;
  useEffect(() => {
    if ((saved === "en" || saved === "ar") && saved !== lang) setLang(saved);
    // only when the saved preference changes, not on every local switch
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved]);
}

export function useWallet() {
  return useQuery({ queryKey: ["wallet"], queryFn: api.wallet });
}
