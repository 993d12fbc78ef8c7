// Short labels and chart colours for causes and event kinds, shared by the chat summaries and the dashboard.
import { VERDICTS } from '../diagnosis/types.js'
import type { CredentialEventKind } from '../store/types.js'

const CAUSE_LABELS: Record<string, string> = {
  expired_session: 'Expired login session',
  invalid_api_key: 'Invalid API key',
  missing_api_key: 'Missing API key',
  corrupted_credentials: 'Corrupted local credentials',
  network_blocked: 'Network blocked',
  multiple_installs: 'Several installations',
  account_restricted: 'Account or billing restriction',
  ide_environment: 'Editor environment',
  remote_login: 'Remote / WSL / container login',
  credential_conflict: 'Conflicting credentials',
  cloud_provider: 'Bedrock / Vertex credentials',
  not_auth: 'Not an auth error',
  none: 'No error',
}

/** A colour-blind-friendly palette (Okabe-Ito and Tableau tones), one per cause, stable across pages. */
const CAUSE_COLORS: Record<string, string> = {
  expired_session: '#0072B2',
  invalid_api_key: '#D55E00',
  missing_api_key: '#E69F00',
  corrupted_credentials: '#CC79A7',
  network_blocked: '#009E73',
  multiple_installs: '#56B4E9',
  account_restricted: '#B2182B',
  ide_environment: '#8C6D31',
  remote_login: '#6A3D9A',
  credential_conflict: '#F0E442',
  cloud_provider: '#1B7837',
  not_auth: '#7F7F7F',
  none: '#BDBDBD',
}

export const KNOWN_CAUSES: readonly string[] = VERDICTS.filter((v) => v !== 'none')

export const causeLabel = (cause: string) => CAUSE_LABELS[cause] ?? cause
export const causeColor = (cause: string) => CAUSE_COLORS[cause] ?? '#444444'

const EVENT_LABELS: Record<CredentialEventKind, string> = {
  key_rotated: 'API key rotated',
  key_revoked: 'API key revoked',
  user_removed: 'Member removed',
  user_added: 'Member added',
  org_changed: 'Organization changed',
  billing_changed: 'Billing changed',
  policy_changed: 'Policy changed',
  sso_changed: 'SSO changed',
  other: 'Other change',
}

export const eventLabel = (kind: string) => EVENT_LABELS[kind as CredentialEventKind] ?? kind
