// A Store whose every method fails, as when the database is down.
import type { Store } from '../../../src/store/types.js'

/** A Store whose every method throws (the database is down). */
export function failingStore(backend: 'pglite' | 'postgres' = 'pglite'): Store {
  return new Proxy({ backend } as Store, {
    get(target, prop) {
      if (prop === 'backend') return backend
      if (prop === 'close') return async () => undefined
      if (prop === 'then') return undefined
      return async () => {
        throw new Error(`database down (${String(prop)})`)
      }
    },
  })
}
