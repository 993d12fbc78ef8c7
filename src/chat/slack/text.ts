// Slack message text -> the plain text a person pasted. Slack escapes &, < and > and wraps links, mentions and
// channels in <...>; the classifier needs the original characters back.

/** `<@UBOT>` style mentions of this bot, anywhere in the text. */
export function stripBotMention(text: string, botUserId: string): string {
  return text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ').trim()
}

export function mentionsBot(text: string | undefined, botUserId: string): boolean {
  return Boolean(text && text.includes(`<@${botUserId}`))
}

/** Undo Slack's message formatting: links to their label (or URL), mentions to @id, entities to characters. */
export function slackToPlain(text: string): string {
  return text
    .replace(/<((?:https?|mailto|ftp):[^>|]*)\|([^>]*)>/g, (_m, _url: string, label: string) => label)
    .replace(/<((?:https?|mailto|ftp):[^>]*)>/g, (_m, url: string) => url)
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}
