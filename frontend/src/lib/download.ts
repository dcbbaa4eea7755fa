// Saving what the API sends as a file (a statement, a receipt): the request carries the bearer
// token, so a plain link cannot fetch it; the body is saved through a Blob URL instead.

/** The file name a response asks for (Content-Disposition), else `fallback`. */
export function fileNameOf(resp: Response, fallback: string): string {
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(resp.headers.get("Content-Disposition") ?? "");
  return named ? decodeURIComponent(named[1]) : fallback;
}

/** Saves a response's body as a file (a Blob URL and a download link, clicked once). */
export async function saveResponse(resp: Response, fallbackName: string): Promise<void> {
  const blob = await resp.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileNameOf(resp, fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
