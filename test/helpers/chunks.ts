// Input bytes cut as reads from a pipe may return them.

// Chunks of random sizes from 1 to `largest` bytes.
export function randomChunks(bytes: Buffer, next: () => number, largest: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const size = 1 + Math.floor(next() * largest);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

// Chunks as big as a pipe holds (64 KiB).
export function pipeChunks(bytes: Buffer): Buffer[] {
  return Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, n) => bytes.subarray(n * 65_536, (n + 1) * 65_536));
}
