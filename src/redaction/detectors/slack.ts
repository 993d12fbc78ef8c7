// Slack tokens (bot xoxb-, user xoxp-, app-level xapp-, others xoxa/xoxr/xoxs/xoxe) and incoming webhook URLs.
import type { Detector } from '../types.js'
import { regexFinder } from '../util.js'

export const slackToken: Detector = {
  id: 'slack-token',
  kind: 'slack-token',
  secret: true,
  description: 'Slack token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-, xapp-)',
  keywords: ['xox', 'xapp-'],
  find: regexFinder(/(?:xox[abposre](?:\.[a-z]+)?-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})/g, 'slack-token'),
  truePositives: [
    { text: 'SLACK_BOT_TOKEN=xoxb-0000000000-1111111111111-EXAMPLEabcdefghijklmnop', secret: '0000000000-1111111111111-EXAMPLEabcdefghijklmnop' },
    { text: 'xapp-1-A0EXAMPLE01-2222222222222-abcdef0123456789abcdef', secret: 'A0EXAMPLE01-2222222222222-abcdef0123456789abcdef' },
    { text: "'xoxp-123456789012-EXAMPLE'", secret: '123456789012-EXAMPLE' },
  ],
  falsePositives: ['xoxb tokens belong to bots', 'xoxb-', 'xapp-1', 'the xoxo emoji'],
}

export const slackWebhook: Detector = {
  id: 'slack-webhook',
  kind: 'slack-webhook',
  secret: true,
  description: 'Slack incoming webhook or workflow URL',
  keywords: ['hooks.slack.com'],
  find: regexFinder(/https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{10,}/g, 'slack-webhook'),
  truePositives: [
    { text: 'posting to https://hooks.slack.com/services/T00000000/B00000000/EXAMPLEabcdefghijklmnop', secret: 'T00000000/B00000000/EXAMPLEabcdefghijklmnop' },
  ],
  falsePositives: ['see https://hooks.slack.com/', 'hooks.slack.com is blocked by the proxy'],
}
