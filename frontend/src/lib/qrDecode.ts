// Reading a QR code from a picture or a camera frame. The browser's own BarcodeDetector (Chrome on
// Android, Safari 17+) where it exists; otherwise jsQR, a small pure-JavaScript decoder, loaded
// only when a photo is actually chosen so the app's first load does not carry it.

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (options?: { formats: string[] }) => BarcodeDetectorLike;

/** The browser's QR detector, or null when it has none (Firefox, desktop Safari before 17, jsdom). */
export function nativeDetector(): BarcodeDetectorLike | null {
  const Ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (!Ctor) return null;
  try {
    return new Ctor({ formats: ["qr_code"] });
  } catch {
    return null; // present but without QR support
  }
}

/** True when a live camera scan is possible: a detector and a camera API. */
export function canScanLive(): boolean {
  return nativeDetector() !== null && typeof navigator !== "undefined" && Boolean(navigator.mediaDevices?.getUserMedia);
}

// Big photos are scaled down first: a QR code filling part of a 12 MP picture is still far larger
// than the decoder needs, and the pixels of the full picture would take seconds on a phone.
const MAX_SIDE = 1024;

async function pixels(file: Blob): Promise<ImageData> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2d canvas");
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return ctx.getImageData(0, 0, width, height);
}

/** The text of the QR code in a picture, or null when none can be read. */
export async function decodeQrImage(file: Blob): Promise<string | null> {
  try {
    const native = nativeDetector();
    if (native) {
      const found = await native.detect(await createImageBitmap(file));
      if (found[0]?.rawValue) return found[0].rawValue;
    }
    const image = await pixels(file);
    const { default: jsQR } = await import("jsqr");
    return jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" })?.data ?? null;
  } catch {
    return null; // not an image, or one the browser cannot open
  }
}

/** Reads QR codes from a playing <video> until one is found; the returned function stops it. */
export function watchVideo(video: HTMLVideoElement, onText: (text: string) => void): () => void {
  const detector = nativeDetector();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped || !detector) return;
    try {
      if (video.readyState >= 2) {
        const found = await detector.detect(video);
        if (!stopped && found[0]?.rawValue) return onText(found[0].rawValue);
      }
    } catch {
      // a frame that could not be read: try the next one
    }
    // A few frames a second is plenty to catch a code held up to the camera, and spares the battery.
    if (!stopped) timer = setTimeout(() => void tick(), 250);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
