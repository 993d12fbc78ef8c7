// macOS only: the Keychain item where Claude Code keeps its login, and whether the keychain is locked (common over
// SSH, where no password prompt can appear). Never asks for the secret (no -w).
import { KEYCHAIN_SERVICE, probeKeychain } from '../claude-files.js'
import type { Check, CheckResult } from '../types.js'
import { hasOtherCredential } from './credentials.js'

export const keychainCheck: Check = {
  id: 'keychain',
  title: 'macOS Keychain',
  timeoutMs: 12_000,
  async run(env, ctx): Promise<CheckResult> {
    if (env.platform !== 'darwin') return { state: 'skipped', summary: 'not macOS' }
    const k = await probeKeychain(env, ctx.signal)
    const facts = { itemPresent: k.itemPresent, locked: k.locked }
    if (k.locked) {
      return {
        state: 'error',
        summary: `the login keychain is locked${k.itemPresent ? ` (the "${KEYCHAIN_SERVICE}" item is there)` : ''}`,
        details: ['Claude Code cannot read or save its login while the keychain is locked; over SSH no unlock prompt can appear.'],
        facts,
        findings: [{ code: 'keychain.locked', severity: 'error' }],
        fix: { text: 'Unlock the keychain in this session (it asks for your macOS password), then retry.', commands: ['security unlock-keychain ~/Library/Keychains/login.keychain-db', 'claude auth status'] },
      }
    }
    if (k.itemPresent === null) {
      return { state: 'warning', summary: `could not ask the Keychain${k.error ? ` (${k.error})` : ''}`, facts: { ...facts, error: k.error } }
    }
    if (!k.itemPresent) {
      if (hasOtherCredential(env)) return { state: 'ok', summary: `unlocked; no "${KEYCHAIN_SERVICE}" item (another credential is set)`, facts }
      return {
        state: 'warning',
        summary: `unlocked; no "${KEYCHAIN_SERVICE}" item: no Claude account login is stored`,
        facts,
        findings: [{ code: 'credentials.none', severity: 'warning' }],
        fix: { text: 'Log in with your Claude account (or set ANTHROPIC_API_KEY).', commands: ['claude auth login'] },
      }
    }
    return { state: 'ok', summary: `unlocked; "${KEYCHAIN_SERVICE}" item present`, facts }
  },
}
