// CSV for the dashboard's exports (RFC 4180: CRLF rows, fields with comma, quote or line break quoted, quotes
// doubled). Text cells that a spreadsheet would run as a formula (= + - @, tab, carriage return) get a leading
// apostrophe (OWASP "CSV injection"); numbers are written as numbers.
export type CsvCell = string | number | boolean | Date | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  let s = value instanceof Date ? value.toISOString() : String(value)
  if (FORMULA_START.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The whole file, with a UTF-8 byte order mark so spreadsheet programs read accents right. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return '\ufeff' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
