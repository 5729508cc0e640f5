/** A JPEG with an EXIF orientation tag inserted after its start-of-image marker. */
export function withExifOrientation(jpeg: Buffer, orientation: number, { littleEndian = false } = {}): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from(exifOrientationSegment(orientation, { littleEndian })), jpeg.subarray(2)]);
}

/** A minimal APP1 segment holding only an orientation tag. */
function exifOrientationSegment(orientation: number, { littleEndian = false } = {}): Uint8Array {
  const segment = new Uint8Array(2 + 2 + 6 + 8 + 2 + 12 + 4);
  const view = new DataView(segment.buffer);
  view.setUint16(0, 0xffe1);
  view.setUint16(2, segment.length - 2);
  segment.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4);
  const tiff = 10;
  view.setUint16(tiff, littleEndian ? 0x4949 : 0x4d4d);
  view.setUint16(tiff + 2, 42, littleEndian);
  view.setUint32(tiff + 4, 8, littleEndian);
  view.setUint16(tiff + 8, 1, littleEndian);
  view.setUint16(tiff + 10, 0x0112, littleEndian);
  view.setUint16(tiff + 12, 3, littleEndian);
  view.setUint32(tiff + 14, 1, littleEndian);
  view.setUint16(tiff + 18, orientation, littleEndian);
  return segment;
}
