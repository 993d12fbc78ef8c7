// Every diagnosis asks for the team's recent credential events (correlation); on a busy channel that is the same
// small query many times a second. This decorator keeps each workspace's recent events for a few seconds. A change
// recorded through this process is visible at once (the entry is dropped); one recorded by another replica shows
// up within `ttlMs`.
import type { CredentialEvent, NewCredentialEvent, Store, WorkspaceRef } from './types.js'

type Entry = { at: number; since: number; limit: number; events: CredentialEvent[] }

const keyOf = (w: WorkspaceRef) => `${w.platform}:${w.externalId}`

export function withEventCache(store: Store, options: { ttlMs: number; now?: () => number; maxWorkspaces?: number }): Store {
  const now = options.now ?? Date.now
  const maxWorkspaces = options.maxWorkspaces ?? 10_000
  const cache = new Map<string, Entry>()

  const listCredentialEvents: Store['listCredentialEvents'] = async (workspace, opts = {}) => {
    const since = opts.since?.getTime() ?? 0
    const limit = opts.limit ?? 50
    const key = keyOf(workspace)
    const hit = cache.get(key)
    const t = now()
    // a cached list answers a query that asks for no older events and no more of them
    if (hit && t - hit.at < options.ttlMs && hit.since <= since && hit.limit >= limit) {
      return hit.events.filter((e) => e.occurredAt.getTime() >= since).slice(0, limit)
    }
    const events = await store.listCredentialEvents(workspace, opts)
    if (cache.size >= maxWorkspaces) cache.delete(cache.keys().next().value!)
    cache.set(key, { at: t, since, limit, events })
    return events
  }

  const recordCredentialEvent = async (event: NewCredentialEvent) => {
    cache.delete(keyOf(event.workspace))
    try {
      return await store.recordCredentialEvent(event)
    } finally {
      cache.delete(keyOf(event.workspace))
    }
  }

  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'listCredentialEvents') return listCredentialEvents
      if (prop === 'recordCredentialEvent') return recordCredentialEvent
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
