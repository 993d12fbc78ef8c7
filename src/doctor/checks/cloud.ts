// Bedrock / Vertex: when Claude Code is told to use a cloud provider, that provider's credentials must be there.
// Only presence is checked (reading them would mean calling AWS or Google).
import type { Check, CheckResult, DoctorEnv } from '../types.js'
import { getVar, hasVar, homePath, isOn } from '../util.js'

async function exists(env: DoctorEnv, p: string): Promise<boolean> {
  return (await env.fs.stat(p))?.isFile ?? false
}

export const cloudCheck: Check = {
  id: 'cloud-provider',
  title: 'Cloud provider credentials',
  timeoutMs: 3_000,
  async run(env): Promise<CheckResult> {
    const bedrock = isOn(env, 'CLAUDE_CODE_USE_BEDROCK')
    const vertex = isOn(env, 'CLAUDE_CODE_USE_VERTEX')
    if (!bedrock && !vertex) return { state: 'skipped', summary: 'no cloud provider selected (CLAUDE_CODE_USE_BEDROCK / CLAUDE_CODE_USE_VERTEX unset)' }
    const details: string[] = []
    const missing: string[] = []
    const facts: Record<string, unknown> = { bedrock, vertex }
    if (bedrock) {
      const aws =
        ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'].filter((v) => hasVar(env, v))
      const files = (await Promise.all([homePath(env, '.aws', 'credentials'), homePath(env, '.aws', 'config')].map((p) => exists(env, p)))).some(Boolean)
      facts.aws = { variables: aws, configFiles: files, region: getVar(env, 'AWS_REGION') ?? null, sessionToken: hasVar(env, 'AWS_SESSION_TOKEN') }
      details.push(`Bedrock: AWS credentials from ${aws.length ? aws.join(', ') : files ? '~/.aws files' : 'nowhere'}${getVar(env, 'AWS_REGION') ? `, region ${getVar(env, 'AWS_REGION')}` : ', AWS_REGION not set'}`)
      if (!aws.length && !files) missing.push('AWS credentials (aws configure, aws sso login, or AWS_PROFILE)')
      if (!hasVar(env, 'AWS_REGION')) missing.push('AWS_REGION')
      if (hasVar(env, 'AWS_SESSION_TOKEN')) details.push('temporary AWS credentials (AWS_SESSION_TOKEN): they expire; renew them if Bedrock says the security token is invalid or expired')
    }
    if (vertex) {
      const adc = hasVar(env, 'GOOGLE_APPLICATION_CREDENTIALS') || (await exists(env, homePath(env, '.config', 'gcloud', 'application_default_credentials.json')))
      facts.gcp = { applicationDefaultCredentials: adc, project: hasVar(env, 'ANTHROPIC_VERTEX_PROJECT_ID'), region: getVar(env, 'CLOUD_ML_REGION') ?? null }
      details.push(`Vertex: application default credentials ${adc ? 'found' : 'not found'}${hasVar(env, 'ANTHROPIC_VERTEX_PROJECT_ID') ? '' : ', ANTHROPIC_VERTEX_PROJECT_ID not set'}`)
      if (!adc) missing.push('Google application default credentials (gcloud auth application-default login)')
      if (!hasVar(env, 'ANTHROPIC_VERTEX_PROJECT_ID')) missing.push('ANTHROPIC_VERTEX_PROJECT_ID')
    }
    if (missing.length === 0) return { state: 'ok', summary: `${[bedrock && 'Bedrock', vertex && 'Vertex'].filter(Boolean).join(' and ')} selected; credentials present`, details, facts }
    return {
      state: 'error',
      summary: `cloud provider selected but missing: ${missing.join('; ')}`,
      details,
      facts,
      findings: [{ code: 'cloud.missing_credentials', severity: 'error' }],
      fix: {
        text: 'Give Claude Code the provider credentials, or unset the CLAUDE_CODE_USE_* variable to use Anthropic directly.',
        commands: [...(bedrock ? ['aws sso login', 'aws sts get-caller-identity'] : []), ...(vertex ? ['gcloud auth application-default login'] : [])],
      },
    }
  },
}
