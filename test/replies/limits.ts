// Platform limit checks shared by the renderer tests.
import { expect } from 'vitest'
import { DISCORD_LIMITS, SLACK_LIMITS, type DiscordMessage, type SlackMessage } from '../../src/replies/index.js'
import { fencesBalanced } from './helpers.js'

export type AnyBlock = Record<string, any>

export function checkSlack(msg: SlackMessage, label: string) {
  expect(msg.text.length, label).toBeGreaterThan(0)
  expect(msg.text.length, label).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText)
  expect(msg.blocks.length, label).toBeLessThanOrEqual(SLACK_LIMITS.blocks)
  for (const b of msg.blocks as AnyBlock[]) {
    if (b.type === 'section') {
      expect(b.text.text.length, label).toBeLessThanOrEqual(SLACK_LIMITS.sectionText)
      expect(fencesBalanced(b.text.text), `${label}: fences in ${b.text.text.slice(0, 60)}`).toBe(true)
    }
    if (b.type === 'context') for (const e of b.elements) expect(e.text.length, label).toBeLessThanOrEqual(SLACK_LIMITS.contextText)
    if (b.type === 'actions') {
      expect(b.elements.length, label).toBeLessThanOrEqual(25)
      for (const e of b.elements) {
        expect(e.action_id.length, label).toBeLessThanOrEqual(SLACK_LIMITS.actionId)
        if (e.text) expect(e.text.text.length, label).toBeLessThanOrEqual(SLACK_LIMITS.plainText)
        for (const o of e.options ?? []) {
          expect(o.value.length, label).toBeLessThanOrEqual(SLACK_LIMITS.optionValue)
          expect(o.text.text.length, label).toBeLessThanOrEqual(SLACK_LIMITS.plainText)
        }
      }
    }
  }
}

export function checkDiscord(msg: DiscordMessage, label: string) {
  expect(msg.content.length, label).toBeLessThanOrEqual(DISCORD_LIMITS.content)
  expect(msg.allowed_mentions).toEqual({ parse: [] })
  let total = 0
  for (const e of msg.embeds) {
    expect((e.title ?? '').length, label).toBeLessThanOrEqual(DISCORD_LIMITS.title)
    expect((e.description ?? '').length, label).toBeLessThanOrEqual(DISCORD_LIMITS.description)
    expect(fencesBalanced(e.description ?? ''), label).toBe(true)
    expect((e.fields ?? []).length, label).toBeLessThanOrEqual(DISCORD_LIMITS.fields)
    for (const f of e.fields ?? []) {
      expect(f.name.length, label).toBeGreaterThan(0)
      expect(f.name.length, label).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName)
      expect(f.value.length, label).toBeGreaterThan(0)
      expect(f.value.length, label).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue)
      expect(fencesBalanced(f.value), `${label}: field ${f.name}`).toBe(true)
    }
    expect((e.footer?.text ?? '').length, label).toBeLessThanOrEqual(DISCORD_LIMITS.footer)
    total += (e.title ?? '').length + (e.description ?? '').length + (e.footer?.text ?? '').length + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  }
  expect(total, label).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal)
  expect(msg.components.length, label).toBeLessThanOrEqual(5)
  for (const row of msg.components as AnyBlock[]) {
    expect(row.type).toBe(1)
    expect(row.components.length, label).toBeLessThanOrEqual(5)
    for (const c of row.components) {
      expect(c.custom_id.length, label).toBeLessThanOrEqual(DISCORD_LIMITS.customId)
      if (c.type === 3) {
        expect(c.options.length).toBeLessThanOrEqual(25)
        for (const o of c.options) {
          expect(o.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.optionLabel)
          expect(o.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.optionValue)
        }
      }
      if (c.type === 2) expect(c.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel)
    }
  }
}
