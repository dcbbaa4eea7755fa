import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ar } from "./ar";
import { en, type MessageId } from "./en";
import { formatDateTime, formatMoney } from "../lib/money";

export type Lang = "en" | "ar";

const dictionaries: Record<Lang, Record<string, string>> = { en, ar };

export interface I18n {
  lang: Lang;
  dir: "ltr" | "rtl";
  setLang: (lang: Lang) => void;
  t: (id: MessageId | string, vars?: Record<string, string | number>) => string;
  money: (amount: string | number, currency?: string) => string;
  dateTime: (iso: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

// The language is a UI preference, not a secret: it is kept in localStorage so the first paint
// before login is in the right language; the profile's preferences.language wins once loaded.
const STORAGE_KEY = "instapay.lang";

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === "ar" || stored === "en") return stored;
  } catch {
    // storage unavailable (privacy mode): default language
  }
  return "en";
}

export function translate(lang: Lang, id: string, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang][id] ?? (en as Record<string, string>)[id] ?? id;
  return vars ? text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`)) : text;
}

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(forced ?? initialLang);
  const dir = lang === "ar" ? "rtl" : "ltr";

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dir;
  }, [lang, dir]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; fine
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({
      lang,
      dir,
      setLang,
      t: (id, vars) => translate(lang, id, vars),
      money: (amount, currency) => formatMoney(amount, lang, currency),
      dateTime: (iso) => formatDateTime(iso, lang),
    }),
    [lang, dir, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
