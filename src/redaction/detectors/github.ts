// GitHub tokens: classic PATs (ghp_), OAuth (gho_), user-to-server (ghu_), server-to-server (ghs_), refresh (ghr_)
// and fine-grained PATs (github_pat_).
import type { Detector } from '../types.js'
import { regexFinder } from '../util.js'

export const githubToken: Detector = {
  id: 'github-token',
  kind: 'github-token',
  secret: true,
  description: 'GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)',
  keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  find: regexFinder(/(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g, 'github-token'),
  truePositives: [
    { text: 'GH_TOKEN=ghp_EXAMPLE0123456789abcdefghijklmnopqrstu', secret: 'EXAMPLE0123456789abcdefghijklmnopqrstu' },
    { text: 'https://x:github_pat_11AAAAAAA0EXAMPLE_abcdefghijklmnopqrstuvwxyz0123456789@github.com', secret: '11AAAAAAA0EXAMPLE_abcdefghijklmnopqrstuvwxyz0123456789' },
  ],
  falsePositives: ['ghp_ prefix means a classic token', 'ghp_short123', 'github_pat_', 'gho_home'],
}
