import { useEffect } from "react";

/** Each screen names itself in the tab title (WCAG 2.4.2): it is the first thing a screen reader
 * reads after a page load, and what tells tabs apart. */
export function useDocumentTitle(screen: string, app: string): void {
  useEffect(() => {
    document.title = screen ? `${screen} · ${app}` : app;
  }, [screen, app]);
}
