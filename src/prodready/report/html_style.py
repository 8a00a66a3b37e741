"""The inline stylesheet of the HTML report (no external assets)."""

from __future__ import annotations

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
  --blocker: #82071e; --critical: #cf222e; --major: #9a6700; --minor: #0969da; --info: #59636e;
  --ok: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5;
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 40px 0 12px; padding-bottom: 6px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 17px; margin: 28px 0 8px; }
h4 { font-size: 14px; margin: 18px 0 6px; text-transform: uppercase; letter-spacing: .03em;
  color: var(--muted); }
a { color: #0969da; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: var(--soft); padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 12px;
  overflow-x: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.zero { color: #b0b8c1; }
.muted { color: var(--muted); }
.banner { border-radius: 8px; padding: 16px 20px; margin: 16px 0 8px; color: #fff; }
.banner p { margin: 0; font-size: 22px; font-weight: 700; }
.banner ul { margin: 8px 0 0; padding-left: 20px; }
.verdict-ready { background: var(--ok); }
.verdict-ready-with-fixes { background: var(--major); }
.verdict-not-ready { background: var(--blocker); }
.issue { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px;
  padding: 4px 16px 12px; margin: 16px 0; }
.issue.blocker { border-left-color: var(--blocker); }
.issue.critical { border-left-color: var(--critical); }
.issue.major { border-left-color: var(--major); }
.issue.minor { border-left-color: var(--minor); }
.issue.info { border-left-color: var(--info); }
.badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px;
  padding: 0 8px; margin-left: 6px; vertical-align: middle; color: #fff; background: var(--info); }
.badge.blocker { background: var(--blocker); }
.badge.critical { background: var(--critical); }
.badge.major { background: var(--major); }
.badge.minor { background: var(--minor); }
.badge.confidence { background: var(--soft); color: var(--fg); border: 1px solid var(--line); }
.status-present, .status-not-needed { color: var(--ok); font-weight: 600; }
.status-missing { color: var(--critical); font-weight: 600; }
.status-not-assessed, .status-not-applicable { color: var(--muted); font-weight: 600; }
ul.evidence { margin: 0; padding-left: 18px; }
@media print { .issue { break-inside: avoid; } a { color: inherit; } }
""".strip()
