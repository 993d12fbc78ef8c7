// From the checks' findings to one likely cause: a pure function. Each finding code maps to a cause with a priority;
// errors outrank warnings, and a few context findings (VS Code, SSH) turn a generic cause into the specific one.
import { CAUSE_IDS, type CauseId, type Diagnosis } from '../diagnosis/types.js'
import type { CheckReport, Finding, VerdictReport } from './types.js'

type Rule = { cause: CauseId; priority: number }

/** finding code -> cause and priority (0..100) within its severity; codes not listed are shown but point nowhere */
export const FINDING_CAUSES: Readonly<Record<string, Rule>> = {
  // the API itself answered about the key: the strongest evidence there is
  'key.rejected': { cause: 'invalid_api_key', priority: 100 },
  'key.forbidden': { cause: 'account_restricted', priority: 100 },
  // network: nothing else can work while the API is out of reach
  'tls.untrusted': { cause: 'network_blocked', priority: 95 },
  'proxy.auth_required': { cause: 'network_blocked', priority: 94 },
  'dns.failed': { cause: 'network_blocked', priority: 92 },
  'tcp.failed': { cause: 'network_blocked', priority: 92 },
  'tcp.proxy_unreachable': { cause: 'network_blocked', priority: 92 },
  'https.blocked': { cause: 'network_blocked', priority: 91 },
  'https.forbidden': { cause: 'network_blocked', priority: 90 },
  'tls.failed': { cause: 'network_blocked', priority: 90 },
  'tls.hostname_mismatch': { cause: 'network_blocked', priority: 90 },
  'proxy.ca_unusable': { cause: 'network_blocked', priority: 88 },
  'proxy.invalid_url': { cause: 'network_blocked', priority: 88 },
  'proxy.unsupported_scheme': { cause: 'network_blocked', priority: 86 },
  'https.failed': { cause: 'network_blocked', priority: 85 },
  'tls.cert_time': { cause: 'network_blocked', priority: 80 },
  'dns.private_address': { cause: 'network_blocked', priority: 60 },
  'https.unexpected': { cause: 'network_blocked', priority: 50 },
  'proxy.case_mismatch': { cause: 'network_blocked', priority: 20 },
  // the key's shape
  'api_key.hidden_characters': { cause: 'invalid_api_key', priority: 90 },
  'api_key.admin_key': { cause: 'invalid_api_key', priority: 90 },
  'api_key.oauth_token': { cause: 'invalid_api_key', priority: 88 },
  'sources.hidden_characters': { cause: 'invalid_api_key', priority: 85 },
  'shell.hidden_characters': { cause: 'invalid_api_key', priority: 82 },
  'sources.wrong_kind': { cause: 'invalid_api_key', priority: 80 },
  'api_key.truncated': { cause: 'invalid_api_key', priority: 70 },
  'shell.value_differs': { cause: 'invalid_api_key', priority: 65 },
  'api_key.unknown_format': { cause: 'invalid_api_key', priority: 60 },
  'shell.multiple_values': { cause: 'invalid_api_key', priority: 30 },
  // local credential state
  'credentials.corrupt': { cause: 'corrupted_credentials', priority: 90 },
  'claude_json.corrupt': { cause: 'corrupted_credentials', priority: 88 },
  'keychain.locked': { cause: 'corrupted_credentials', priority: 86 },
  'credentials.unreadable': { cause: 'corrupted_credentials', priority: 85 },
  'credentials.token_malformed': { cause: 'corrupted_credentials', priority: 85 },
  'claude_json.unreadable': { cause: 'corrupted_credentials', priority: 80 },
  'credentials.empty_login': { cause: 'corrupted_credentials', priority: 70 },
  // the login
  'credentials.expired': { cause: 'expired_session', priority: 80 },
  'auth_status.not_logged_in': { cause: 'expired_session', priority: 75 },
  'credentials.scope_missing': { cause: 'expired_session', priority: 50 },
  'clock.skew': { cause: 'expired_session', priority: 45 },
  'credentials.access_expired': { cause: 'expired_session', priority: 40 },
  'auth_status.failed': { cause: 'expired_session', priority: 30 },
  // where the key should be but is not
  'shell.not_loaded': { cause: 'missing_api_key', priority: 70 },
  'sources.none': { cause: 'missing_api_key', priority: 65 },
  'api_key.empty': { cause: 'missing_api_key', priority: 50 },
  'credentials.none': { cause: 'missing_api_key', priority: 40 },
  // several at once
  'claude_json.key_declined': { cause: 'credential_conflict', priority: 75 },
  'sources.conflict': { cause: 'credential_conflict', priority: 70 },
  'sources.base_url': { cause: 'credential_conflict', priority: 50 },
  'installs.multiple': { cause: 'multiple_installs', priority: 80 },
  'cloud.missing_credentials': { cause: 'cloud_provider', priority: 90 },
}

export const CAUSE_TITLE: Record<CauseId, string> = {
  expired_session: 'The Claude login has expired or is missing',
  invalid_api_key: 'The API key is not usable',
  missing_api_key: 'The key is not where Claude Code runs',
  corrupted_credentials: "Claude Code's local credential state is broken",
  network_blocked: 'The network stands between you and the API',
  multiple_installs: 'Several Claude Code installs get in each other\'s way',
  account_restricted: 'The account or organisation is restricted',
  ide_environment: 'The editor does not have your shell\'s environment',
  remote_login: 'The login cannot complete on this remote machine',
  credential_conflict: 'Several credentials compete; the wrong one wins',
  cloud_provider: 'The cloud provider credentials are missing or invalid',
}

const SEVERITY_WEIGHT: Record<Finding['severity'], number> = { error: 1_000, warning: 100, info: 0 }

type Candidate = { cause: CauseId; score: number; code: string; check: CheckReport | null }

export type VerdictOptions = {
  /** classify(text) from src/diagnosis: lets error text printed by `claude auth status` count as weak evidence */
  classify?: (text: string) => Diagnosis
}

export function computeVerdict(checks: readonly CheckReport[], options: VerdictOptions = {}): VerdictReport {
  const context = new Set(checks.flatMap((c) => c.findings.filter((f) => f.severity === 'info').map((f) => f.code)))
  const candidates: Candidate[] = []
  for (const check of checks) {
    for (const f of check.findings) {
      const rule = FINDING_CAUSES[f.code]
      if (!rule || f.severity === 'info') continue
      let cause = rule.cause
      // context: the same symptom has a more specific cause in these environments
      if (cause === 'missing_api_key' && f.code === 'shell.not_loaded' && context.has('env.vscode')) cause = 'ide_environment'
      if (f.code === 'keychain.locked' && context.has('env.ssh')) cause = 'remote_login'
      candidates.push({ cause, score: SEVERITY_WEIGHT[f.severity] + rule.priority, code: f.code, check })
    }
    const text = check.facts.errorText
    if (options.classify && typeof text === 'string' && text.trim()) {
      const d = options.classify(text)
      if ((CAUSE_IDS as readonly string[]).includes(d.cause)) {
        candidates.push({ cause: d.cause as CauseId, score: SEVERITY_WEIGHT.error + Math.round(20 * d.confidence), code: `classified:${check.id}`, check })
      }
    }
  }
  if (candidates.length === 0) {
    const broken = checks.filter((c) => c.state === 'error' || c.state === 'crashed')
    return {
      cause: 'none',
      headline: broken.length
        ? `No authentication cause found, but ${broken.map((c) => c.title).join(', ')} ${broken.length === 1 ? 'needs' : 'need'} attention (see above).`
        : 'Nothing wrong found on this machine. If Claude Code still fails, share the exact error text: the cause may be on the account side (billing, organisation).',
      because: [],
      fix: broken.find((c) => c.fix)?.fix ?? null,
      alternatives: [],
    }
  }
  // best score per cause; ties keep the order of CAUSE_IDS so the result does not depend on check order
  const best = new Map<CauseId, Candidate>()
  for (const c of candidates) {
    const prev = best.get(c.cause)
    if (!prev || c.score > prev.score) best.set(c.cause, c)
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score || CAUSE_IDS.indexOf(a.cause) - CAUSE_IDS.indexOf(b.cause))
  const top = ranked[0] as Candidate
  const because = candidates
    .filter((c) => c.cause === top.cause)
    .sort((a, b) => b.score - a.score)
    .map((c) => c.code)
  const alternatives = ranked.slice(1).map((c) => c.cause)
  // a login that cannot complete over SSH/WSL/containers: the remote flow is the likely next hurdle
  if (top.cause === 'expired_session' && ['env.ssh', 'env.wsl', 'env.container'].some((c) => context.has(c)) && !alternatives.includes('remote_login')) {
    alternatives.unshift('remote_login')
  }
  const evidence = top.check
  return {
    cause: top.cause,
    headline: `${CAUSE_TITLE[top.cause]}${evidence ? `: ${evidence.title}: ${evidence.summary}` : ''}`,
    because: [...new Set(because)],
    fix: evidence?.fix ?? null,
    alternatives,
  }
}
