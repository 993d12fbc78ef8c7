import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from '../../../src/web/admin/csv.js'
import { dailyChart, niceScale } from '../../../src/web/admin/chart.js'
import { esc, html } from '../../../src/web/admin/html.js'

describe('CSV export cells', () => {
  it('GIVEN text a spreadsheet would run as a formula WHEN exported THEN it is prefixed with an apostrophe', () => {
    for (const s of ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(s).replace(/^"/, '').startsWith("'")).toBe(true)
    expect(csvCell(-3)).toBe('-3')
  })

  it('GIVEN commas, quotes and line breaks WHEN exported THEN RFC 4180 quoting', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell(null)).toBe('')
    expect(csvCell(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z')
  })

  it('GIVEN rows WHEN joined THEN a BOM, CRLF rows and a trailing CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('\ufeffa,b\r\n1,x\r\n')
  })
})

describe('daily chart', () => {
  const days = ['2026-03-01', '2026-03-02', '2026-03-03']
  it('GIVEN per-day counts WHEN drawn THEN one bar per (day, cause) with its count, stacked, and event markers on the axis', () => {
    const svg = dailyChart({
      days,
      causes: ['invalid_api_key', 'expired_session'],
      perDay: [
        { day: '2026-03-01', cause: 'invalid_api_key', count: 2 },
        { day: '2026-03-03', cause: 'invalid_api_key', count: 5 },
        { day: '2026-03-03', cause: 'expired_session', count: 1 },
        { day: '2026-02-01', cause: 'expired_session', count: 9 }, // outside the window: ignored
      ],
      events: [{ n: 1, kind: 'key_rotated', subject: '<script>', occurredAt: new Date('2026-03-02T12:00:00Z') }],
    }).value
    expect(svg.match(/class="bar"/g)).toHaveLength(3)
    expect(svg).toContain('data-total="8"')
    expect(svg).toMatch(/data-day="2026-03-03" data-cause="expired_session" data-count="1"/)
    expect(svg.match(/class="event-marker"/g)).toHaveLength(1)
    expect(svg).not.toContain('<script>')
  })

  it('GIVEN no incidents WHEN drawn THEN an empty-state text and no bars', () => {
    const svg = dailyChart({ days, causes: [], perDay: [], events: [] }).value
    expect(svg).not.toContain('class="bar"')
    expect(svg).toContain('No incidents in this window')
  })

  it('GIVEN axis maxima WHEN scaled THEN a nice top at or above the data', () => {
    for (const max of [1, 3, 7, 13, 99, 250]) {
      const { top, step } = niceScale(max)
      expect(top).toBeGreaterThanOrEqual(max)
      expect(top % step).toBe(0)
      expect(top / step).toBeLessThanOrEqual(6)
    }
  })
})

describe('HTML escaping', () => {
  it('GIVEN hostile text WHEN interpolated THEN escaped in content and attributes', () => {
    expect(esc(`<img src=x onerror="a">'`)).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&#39;')
    expect(html`<p title="${'"><script>'}">${'<b>'}</p>`.value).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;</p>')
  })
})
