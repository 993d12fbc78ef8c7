// The diagnosis contract shared by every part of the bot (see DESIGN.md §2-3). Pure types and id lists only.

/** Why authentication fails. Stable ids: stored in the database and carried in button ids. */
export const CAUSE_IDS = [
  'expired_session',
  'invalid_api_key',
  'missing_api_key',
  'corrupted_credentials',
  'network_blocked',
  'multiple_installs',
  'account_restricted',
  'ide_environment',
  'remote_login',
  'credential_conflict',
  'cloud_provider',
] as const
export type CauseId = (typeof CAUSE_IDS)[number]

/** A verdict is an auth cause, a real error that is not about auth, or no error at all. */
export type Verdict = CauseId | 'not_auth' | 'none'
export const VERDICTS: readonly Verdict[] = [...CAUSE_IDS, 'not_auth', 'none']

/** The row of the error matrix the message belongs to. */
export const SYMPTOM_IDS = [
  'authentication_failed',
  'unauthorized_401',
  'permission_denied',
  'session_expired',
  'token_validation_failed',
] as const
export type SymptomId = (typeof SYMPTOM_IDS)[number]

/** Where the person runs Claude Code; picks the commands a reply shows. */
export const PLATFORMS = ['macos', 'linux', 'windows', 'wsl', 'docker', 'ssh', 'vscode'] as const
export type Platform = (typeof PLATFORMS)[number]

/** Kinds of real errors that are not authentication problems, so the bot can say what they are. */
export const NOT_AUTH_KINDS = [
  'rate_limit',
  'overloaded',
  'server_error',
  'usage_limit',
  'context_too_long',
  'invalid_request',
  'mcp_server',
  'model_not_found',
  'other',
] as const
export type NotAuthKind = (typeof NOT_AUTH_KINDS)[number]

export type Evidence = {
  /** id of the rule that matched */
  rule: string
  /** the matched text, exactly as it stands in the original input */
  text: string
  /** offsets into the ORIGINAL text (UTF-16 code units, end exclusive) */
  start: number
  end: number
}

export type Diagnosis = {
  cause: Verdict
  symptom: SymptomId | null
  /** 0..1, calibrated: passive replies need a higher bar than an explicit /claude-auth */
  confidence: number
  evidence: Evidence[]
  alternatives: { cause: CauseId; confidence: number }[]
  platform: Platform | null
  /** set when cause is 'not_auth': which kind of non-auth error it is */
  notAuthKind: NotAuthKind | null
  /** stable hash of the normalised error (same error, same fingerprint), null when cause is 'none' */
  fingerprint: string | null
}
