// Strings in and out of UTF-16 memory with one copy each way, through Node's Buffer (computation only, no I/O).
// TextDecoder goes through ICU and took a tenth of classify's time; Buffer's ucs2Write/ucs2Slice are the native calls
// behind write()/toString() for 'utf16le', and calling them directly also skips their argument handling. Lone
// surrogates pass through as they are. Where there is no Buffer (a browser), utf16View() returns null.

type NodeBufferLike = {
  write(text: string, offset: number, length: number, encoding: 'utf16le'): number
  toString(encoding: 'utf16le', start: number, end: number): string
  ucs2Write?(text: string, offset: number, length: number): number
  ucs2Slice?(start: number, end: number): string
}
const NodeBuffer = (globalThis as { Buffer?: { from(buf: ArrayBufferLike, byteOffset: number, byteLength: number): NodeBufferLike } }).Buffer

export type Utf16View = {
  /** writes the UTF-16 units of `text` from unit `at` on (the caller checked that they fit) */
  write(text: string, at: number): void
  /** units [start, end) as a string */
  read(start: number, end: number): string
}

/** a view of `length` UTF-16 units of `buffer` from byte `byteOffset`, or null where there is no Buffer */
export function utf16View(buffer: ArrayBufferLike, byteOffset: number, length: number): Utf16View | null {
  if (!NodeBuffer) return null
  const b = NodeBuffer.from(buffer, byteOffset, length * 2)
  return {
    write: b.ucs2Write ? (text, at) => void b.ucs2Write!(text, at * 2, text.length * 2) : (text, at) => void b.write(text, at * 2, text.length * 2, 'utf16le'),
    read: b.ucs2Slice ? (start, end) => b.ucs2Slice!(start * 2, end * 2) : (start, end) => b.toString('utf16le', start * 2, end * 2),
  }
}
