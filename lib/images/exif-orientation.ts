/**
 * The EXIF orientation (1–8) of a JPEG, read from its APP1 segment; 1 (upright) when there is
 * none or it cannot be read. Phones store portrait photos as landscape pixels plus this tag,
 * which browsers apply when they show the photo and image services often do not.
 */
export function jpegOrientation(bytes: ArrayBuffer | Uint8Array): number {
  const view = bytes instanceof Uint8Array ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new DataView(bytes);
  const fits = (at: number, length: number) => at >= 0 && at + length <= view.byteLength;
  if (!fits(0, 2) || view.getUint16(0) !== 0xffd8) return 1;
  let offset = 2;
  while (fits(offset, 4)) {
    const marker = view.getUint16(offset);
    // Markers only; the image data (start of scan) comes after every APPn segment.
    if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return 1;
    const length = view.getUint16(offset + 2);
    if (marker === 0xffe1 && fits(offset + 4, 6) && view.getUint32(offset + 4) === 0x45786966 /* "Exif" */) {
      const tiff = offset + 10;
      if (!fits(tiff, 8)) return 1;
      const little = view.getUint16(tiff) === 0x4949;
      const ifd = tiff + view.getUint32(tiff + 4, little);
      if (!fits(ifd, 2)) return 1;
      const entries = view.getUint16(ifd, little);
      for (let i = 0; i < entries; i++) {
        const entry = ifd + 2 + i * 12;
        if (!fits(entry, 12)) return 1;
        if (view.getUint16(entry, little) === 0x0112) {
          const value = view.getUint16(entry + 8, little);
          return value >= 1 && value <= 8 ? value : 1;
        }
      }
      return 1;
    }
    offset += 2 + length;
  }
  return 1;
}
