// The device camera as a QR reader: the browser's BarcodeDetector where it has one, else jsQR on video
// frames drawn into a canvas. Needs a secure context (https:// or localhost) for getUserMedia.
/* global jsQR */

const FRAME_MS = 120;
const MAX_SIDE = 720; // jsQR's time grows with the pixels; a ticket fills much of the frame anyway

// The QR text in one frame's pixels, or null.
export function decodeImageData(image) {
  const found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
  return found && found.data ? found.data : null;
}

// Draws a video frame or an image into `canvas`, scaled down, and reads its QR code.
export function decodeFrame(source, canvas) {
  const width = source.videoWidth || source.naturalWidth || source.width;
  const height = source.videoHeight || source.naturalHeight || source.height;
  if (!width || !height) return null;
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return decodeImageData(context.getImageData(0, 0, canvas.width, canvas.height));
}

export function cameraSupported() {
  return Boolean(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

async function makeDetector() {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    return formats.includes("qr_code") ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
  } catch (err) {
    return null;
  }
}

export class Camera {
  constructor(video, onCode) {
    this.video = video;
    this.onCode = onCode;
    this.canvas = document.createElement("canvas");
    this.stream = null;
    this.timer = null;
    this.detector = null;
    this.engine = null; // "BarcodeDetector" | "jsQR"
  }

  get running() {
    return Boolean(this.stream);
  }

  async start() {
    if (this.stream) return;
    if (!cameraSupported()) throw Object.assign(new Error("camera unavailable"), { code: "unsupported" });
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (err) {
      const denied = err && (err.name === "NotAllowedError" || err.name === "SecurityError");
      throw Object.assign(new Error(String(err && err.message)), { code: denied ? "denied" : "failed" });
    }
    this.video.srcObject = this.stream;
    this.video.setAttribute("playsinline", "");
    this.video.muted = true;
    await this.video.play().catch(() => {});
    this.detector = await makeDetector();
    this.engine = this.detector ? "BarcodeDetector" : "jsQR";
    this._tick();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
    this.video.srcObject = null;
  }

  async _read() {
    if (this.video.readyState < 2) return null;
    if (this.detector) {
      try {
        const codes = await this.detector.detect(this.video);
        return codes.length ? codes[0].rawValue : null;
      } catch (err) {
        this.detector = null; // fall back to jsQR for good
        this.engine = "jsQR";
      }
    }
    return decodeFrame(this.video, this.canvas);
  }

  async _tick() {
    if (!this.stream) return;
    let text = null;
    try {
      text = await this._read();
    } catch (err) {
      text = null;
    }
    if (text && this.stream) this.onCode(text);
    if (this.stream) this.timer = setTimeout(() => this._tick(), FRAME_MS);
  }
}
