// Names Slack knows us by; shared by the listeners and the manifest.
export const SLASH_COMMAND = '/claude-auth'
export const DIAGNOSE_SHORTCUT_ID = 'diagnose_error'
export const SLACK_EVENTS_PATH = '/slack/events'
/** event_type of the message metadata on every diagnosis we post (workflows and tests read the verdict from it) */
export const DIAGNOSIS_METADATA_EVENT = 'claude_auth_diagnosis'
