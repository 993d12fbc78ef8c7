// The Slack App Home tab (app_home_opened -> views.publish): admins see the team summary of the last 7 days,
// everyone else a short how-to. Pure Block Kit JSON; the Slack adapter publishes it.
import { requestIsAdmin, dashboardUrl, type TeamCommandDeps, type TeamRequest } from './commands.js'
import { loadStats, statsMessage } from './stats.js'
import { renderSlackBlocks, type TeamMessage } from './message.js'

export type SlackHomeView = { type: 'home'; blocks: Record<string, unknown>[] }

export const HOME_DAYS = 7

const howTo: TeamMessage = {
  title: 'Claude Code sign-in help',
  lines: [
    'Paste a Claude Code error in a channel I am in, mention me with it, or run /claude-auth followed by the error.',
    'I say what is wrong, why I think so, and reply with numbered fixes and the exact commands for your platform.',
    '/claude-auth checklist [platform] gives the setup checklist; /claude-auth doctor runs a local check that uploads redacted diagnostics.',
  ],
  ephemeral: true,
  ok: true,
}

export async function buildSlackHomeView(deps: TeamCommandDeps, request: TeamRequest): Promise<SlackHomeView> {
  if (!(await requestIsAdmin(deps, request))) return { type: 'home', blocks: renderSlackBlocks(howTo) }
  const now = deps.clock()
  let message: TeamMessage
  try {
    message = statsMessage(await loadStats(deps.store, request.workspace, HOME_DAYS, now), { now, dashboardUrl: dashboardUrl(deps.config.publicUrl), top: 5 })
  } catch (err) {
    deps.log.error({ err }, 'App Home: statistics unavailable')
    message = { title: 'Team summary unavailable', lines: ['The database did not answer. Open this tab again in a minute.'], ephemeral: true, ok: false }
  }
  const blocks = renderSlackBlocks(message)
  blocks.push({ type: 'divider' }, ...renderSlackBlocks(howTo))
  // App Home views hold at most 100 blocks
  return { type: 'home', blocks: blocks.slice(0, 100) }
}
