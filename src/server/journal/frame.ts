/**
 * The journal's on-disk frame: `u32le length`, `u32le crc32(payload)`, then the payload. The
 * checksum is what tells a torn last write (the process died inside `write`) from a whole entry:
 * a length alone would accept a frame whose tail never reached the disk.
 * @module
 */
import { crc32 } from 'node:zlib';

export const FRAME_HEADER_BYTES = 8;

/** The frame header for a payload given in parts (written after it as they are, uncopied). */
export function frameHeader(parts: readonly Uint8Array[]): Buffer {
  let length = 0;
  let crc = 0;
  for (const part of parts) {
    length += part.byteLength;
    crc = crc32(part, crc);
  }
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32LE(length, 0);
  header.writeUInt32LE(crc, 4);
  return header;
}

export interface ScannedFrames {
  payloads: Buffer[];
  /** Bytes of whole, checksummed frames from the start; anything after is not an entry. */
  validBytes: number;
}

/** Reads whole frames from the start of `data`, stopping at the first incomplete or damaged one. */
export function scanFrames(data: Buffer): ScannedFrames {
  const payloads: Buffer[] = [];
  let at = 0;
  while (at + FRAME_HEADER_BYTES <= data.byteLength) {
    const length = data.readUInt32LE(at);
    const end = at + FRAME_HEADER_BYTES + length;
    if (end > data.byteLength) break;
    const payload = data.subarray(at + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== data.readUInt32LE(at + 4)) break;
    payloads.push(payload);
    at = end;
  }
  return { payloads, validBytes: at };
}
