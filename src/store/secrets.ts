// Random codes and tokens handed to people, and the hashes the store keeps instead of them.
import crypto from 'node:crypto'

/** No 0/O, 1/I/L, or U/V pairs people confuse when they type a code from a chat message. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTWXYZ23456789'
export const CODE_LENGTH = 10

/** A doctor code such as `K7QXM-Z4PTA`: CODE_LENGTH characters (about 48 bits), grouped for reading aloud. */
export function newDoctorCode(): string {
  let raw = ''
  for (let i = 0; i < CODE_LENGTH; i++) raw += CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)]
  return `${raw.slice(0, 5)}-${raw.slice(5)}`
}

/** The canonical form of a typed code (case, spaces and dashes ignored; null when it cannot be a code). */
export function normaliseDoctorCode(code: string): string | null {
  const c = code.toUpperCase().replace(/[\s\-_.]/g, '')
  if (c.length !== CODE_LENGTH) return null
  for (const ch of c) if (!CODE_ALPHABET.includes(ch)) return null
  return c
}

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

export function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex')
}
