// Liveness, readiness and Prometheus metrics.
import type { Metrics } from '../metrics.js'
import type { Store } from '../store/types.js'
import { withTimeout } from '../chat/triage.js'
import { sendJson, sendText, type Route } from './http.js'

export type ReadinessCheck = { name: string; ready: () => boolean | Promise<boolean> }

export function healthRoutes(deps: { store: Store; metrics: Metrics; checks: () => ReadinessCheck[]; startedAt: Date }): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      handler: (_req, res) => sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000) }),
    },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const results: Record<string, boolean> = {}
        results.database = await withTimeout(deps.store.ping(), 1_000).then(
          () => true,
          () => false,
        )
        for (const check of deps.checks()) {
          results[check.name] = await Promise.resolve()
            .then(check.ready)
            .catch(() => false)
        }
        const ready = Object.values(results).every(Boolean)
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks: results })
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: (_req, res) => sendText(res, 200, deps.metrics.render(), 'text/plain; version=0.0.4; charset=utf-8'),
    },
  ]
}
