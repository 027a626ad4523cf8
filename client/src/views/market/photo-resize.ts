/**
 * Shrinks a photo in the browser before it is sent (a phone's 12 MP photo is 4–8 MB; a village 3G link
 * would take minutes): drawn on a canvas at most `maxSide` pixels on its longer side, encoded as WebP where
 * the browser can, else JPEG. The server still checks the type and size (photos.service.ts).
 */
export interface ShrunkPhoto {
  photo: Blob;
  thumb: Blob;
}

const PHOTO_SIDE = 1600;
const THUMB_SIDE = 320;

async function encode(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  const as = (type: string) => new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, quality));
  const webp = await as('image/webp');
  // A browser without a WebP encoder answers PNG (or nothing): fall back to JPEG.
  if (webp && webp.type === 'image/webp') return webp;
  const jpeg = await as('image/jpeg');
  if (!jpeg) throw new Error('This browser cannot encode images');
  return jpeg;
}

function draw(image: ImageBitmap, maxSide: number): HTMLCanvasElement {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(image.width * scale));
  canvas.height = Math.max(1, Math.round(image.height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas;
}

export async function shrinkPhoto(file: Blob): Promise<ShrunkPhoto> {
  const image = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const photo = await encode(draw(image, PHOTO_SIDE), 0.82);
    const thumb = await encode(draw(image, THUMB_SIDE), 0.7);
    return { photo, thumb };
  } finally {
    image.close();
  }
}
