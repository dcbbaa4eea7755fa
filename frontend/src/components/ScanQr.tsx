import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { useNavigate } from "react-router-dom";
import { payTokenFrom } from "../api/payments";
import { useI18n } from "../i18n/I18nProvider";
import { canScanLive, decodeQrImage, watchVideo } from "../lib/qrDecode";

/**
 * "Scan QR code" on Send: the camera where the browser can read codes from it, and always a photo
 * to choose (a screenshot of a shop's code, or a browser without a detector). A payment code
 * (`…/pay/<token>`) opens the pay-by-link screen; anything else is said to be not ours.
 */
export function ScanQr({ decode = decodeQrImage }: { decode?: (file: Blob) => Promise<string | null> }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<"not_ours" | "unreadable" | "no_camera" | null>(null);
  const [busy, setBusy] = useState(false);
  const videoRef = useRef<HTMLVideoElement>(null);
  const live = open && canScanLive();

  function found(text: string | null) {
    if (text === null) return setProblem("unreadable");
    const token = payTokenFrom(text);
    if (!token) return setProblem("not_ours");
    setOpen(false);
    navigate(`/pay/${encodeURIComponent(token)}`);
  }

  // The camera runs only while the panel is open, and is released when it closes or the screen goes.
  useEffect(() => {
    if (!live) return;
    let stream: MediaStream | null = null;
    let stopWatch = () => {};
    let cancelled = false;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(async (s) => {
        if (cancelled) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        const video = videoRef.current;
        if (!video) return;
        video.srcObject = s;
        await video.play().catch(() => undefined);
        stopWatch = watchVideo(video, found);
      })
      .catch(() => setProblem("no_camera"));
    return () => {
      cancelled = true;
      stopWatch();
      stream?.getTracks().forEach((tr) => tr.stop());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live]);

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = ""; // the same photo can be chosen again
    if (!file) return;
    setProblem(null);
    setBusy(true);
    try {
      found(await decode(file));
    } finally {
      setBusy(false);
    }
  }

  if (!open)
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="scan-qr">
        {t("pay.scan")}
      </button>
    );
  return (
    <div className="scan" role="group" aria-label={t("pay.scan")}>
      {live && problem !== "no_camera" && <video ref={videoRef} className="scan-video" muted playsInline aria-label={t("pay.scan_camera")} />}
      {problem && (
        <p role="alert" className="banner banner-error" data-code={problem}>
          {t(`pay.scan_${problem}`)}
        </p>
      )}
      <div className="field">
        <label htmlFor="scan-file">{t("pay.scan_photo")}</label>
        <input id="scan-file" type="file" accept="image/*" onChange={(e) => void onFile(e)} disabled={busy} />
      </div>
      <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
        {t("common.cancel")}
      </button>
    </div>
  );
}
