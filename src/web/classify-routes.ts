// POST /api/classify: the engine over HTTP for scripts and integrations. No credentials needed; nothing stored.
import { z } from 'zod'
import { classify } from '../diagnosis/index.js'
import { PLATFORMS } from '../diagnosis/types.js'
import { buildReply, renderMarkdown } from '../replies/index.js'
import { AppError } from '../errors.js'
import { readJson, sendJson, type Route } from './http.js'

export const CLASSIFY_MAX_BYTES = 64 * 1024

const body = z.object({
  text: z.string({ error: '"text" must be a string holding the pasted error' }),
  platform: z.enum(PLATFORMS).nullable().optional(),
})

export function classifyRoutes(deps: { clock: () => Date }): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/classify',
      handler: async (req, res) => {
        const parsed = body.safeParse(await readJson(req, CLASSIFY_MAX_BYTES))
        if (!parsed.success) {
          throw new AppError('INVALID_BODY', `Expected {"text": "<pasted error>", "platform"?: one of ${PLATFORMS.join(', ')}}: ${parsed.error.issues[0]?.message}`, 400)
        }
        const diagnosis = classify(parsed.data.text)
        const reply = buildReply(diagnosis, { text: parsed.data.text, platform: parsed.data.platform ?? diagnosis.platform, now: deps.clock() })
        sendJson(res, 200, { diagnosis, reply: renderMarkdown(reply) })
      },
    },
  ]
}
