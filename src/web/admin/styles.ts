// The dashboard's one stylesheet. Inlined in every page and allowed by its hash in the CSP (no 'unsafe-inline').
// Mobile first: one column on a phone, cards and tables side by side from 900 px.
export const ADMIN_CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2430;--muted:#5b6474;--line:#dde1e7;--accent:#3b5bdb;--bad:#c92a2a;--good:#2b8a3e}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:10px 16px;background:#1d2430;color:#fff}
header.top a{color:#dfe5ff;text-decoration:none}
.brand{font-weight:700;color:#fff!important;margin-right:8px}
nav{display:flex;flex-wrap:wrap;gap:4px 14px}
nav a{padding:4px 0;border-bottom:2px solid transparent}
nav a[aria-current=page]{color:#fff;border-bottom-color:#fff}
.signout{margin-left:auto;display:flex;align-items:center;gap:8px;font-size:13px}
.who{color:#b8c2d6;max-width:40ch;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
button,select,input,textarea{font:inherit}
button{cursor:pointer;border:1px solid var(--line);background:#fff;color:var(--ink);border-radius:6px;padding:6px 12px}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:4px 0 12px}
h2{font-size:17px;margin:0 0 10px}
.muted{color:var(--muted)}
.small{font-size:13px}
form.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin:0 0 16px}
form.filters label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:2px}
form.filters select{padding:6px 8px;border:1px solid var(--line);border-radius:6px;background:#fff;min-width:9em}
.exports{display:flex;flex-wrap:wrap;gap:6px 12px;font-size:13px;margin:-6px 0 16px}
.cards{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:10px;margin-bottom:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.metric .value{font-size:26px;font-weight:700;line-height:1.1}
.metric .label{font-size:13px;color:var(--muted)}
section.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px;margin-bottom:16px;min-width:0}
.grid2{display:grid;grid-template-columns:minmax(0,1fr);gap:0 16px}
.chart svg.daily{display:block;width:100%;min-width:680px;height:auto}
/* narrow screens scroll the chart sideways, starting at its right end (the latest days) */
.chart .scroll{direction:rtl}
.chart .scroll svg{direction:ltr}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:8px 0 0;padding:0;list-style:none;font-size:13px}
.legend li{display:flex;align-items:center;gap:6px}
.legend svg{flex:none}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:7px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,.excerpt{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-word}
.excerpt{display:block;max-width:60ch;white-space:pre-wrap;color:#343a46}
.tag{display:inline-block;font-size:11px;padding:1px 6px;border-radius:9px;background:#edf0ff;color:#3b5bdb;white-space:nowrap}
.tag.auto{background:#eef7ee;color:var(--good)}
.tag.api{background:#fff4e6;color:#b35c00}
.events{list-style:none;margin:0;padding:0}
.events li{display:flex;gap:10px;padding:8px 0;border-bottom:1px solid var(--line)}
.events li:last-child{border-bottom:0}
.marker{flex:none;width:22px;height:22px;border-radius:50%;background:#1d2430;color:#fff;font-size:12px;display:flex;align-items:center;justify-content:center}
.bar-h{display:block;width:100%;height:14px}
.empty{padding:18px 0;color:var(--muted)}
.notice{padding:10px 12px;border-radius:8px;background:#e7f5ff;border:1px solid #a5d8ff;margin-bottom:14px}
.notice.bad{background:#fff5f5;border-color:#ffc9c9}
.center{max-width:520px;margin:40px auto;text-align:center}
.center .card{padding:24px}
form.record{display:grid;grid-template-columns:minmax(0,1fr);gap:10px}
form.record label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:2px}
form.record input,form.record select,form.record textarea{padding:7px 8px;border:1px solid var(--line);border-radius:6px;background:#fff;color:var(--ink)}
@media (min-width:700px){.cards{grid-template-columns:repeat(4,minmax(0,1fr))}form.record{grid-template-columns:1fr 1fr}form.record .wide{grid-column:1/-1}}
@media (min-width:1000px){.grid2{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
@media (max-width:520px){main{padding:10px}.hide-sm{display:none}.signout{margin-left:0}.who{max-width:22ch}}
`
