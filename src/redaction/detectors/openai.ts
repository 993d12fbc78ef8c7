// OpenAI keys: project / service-account / admin keys (sk-proj-, sk-svcacct-, sk-admin-) and legacy sk- keys.
// Runs after the Anthropic detectors; a left boundary keeps "task-..." or "disk-..." out.
import type { Detector } from '../types.js'
import { regexFinder } from '../util.js'

const RE = /sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20,})/g

export const openaiApiKey: Detector = {
  id: 'openai-api-key',
  kind: 'openai-api-key',
  secret: true,
  description: 'OpenAI API key (sk-proj-..., sk-svcacct-..., legacy sk-...)',
  keywords: ['sk-'],
  find: regexFinder(RE, 'openai-api-key', (m, text) => (/[A-Za-z0-9_-]/.test(text[m.index - 1] ?? '') ? null : undefined)),
  truePositives: [
    { text: 'OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-7AbCd', secret: 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-7AbCd' },
    { text: '"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"', secret: 'Zx9Yw8Vu7Ts6Rq5Po4NmT3BlbkFJLk3Jh2Gf1Ed0Cb9Aa8Zz' },
  ],
  falsePositives: [
    'task-abcdefghijklmnopqrstuvwxyz0123',
    'disk-0123456789abcdefghijkl full',
    'sk-ant',
    'sk-proj-short',
    'the risk-free path',
  ],
}
