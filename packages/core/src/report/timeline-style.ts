/** The stylesheet of the HTML failure timeline (inlined: the report needs no network). */
export const TIMELINE_CSS = `
:root {
  --bg: #fbfbfa; --fg: #1d1f23; --muted: #666b73; --rule: #dcdde0; --panel: #ffffff;
  --race: #c2410c; --race-soft: #fff1e6; --bad: #b91c1c; --bad-soft: #fde8e8; --focus: #1d4ed8;
  --lane-0: #2563eb; --lane-1: #7c3aed; --lane-2: #0f766e; --lane-3: #b45309;
  --lane-4: #be185d; --lane-5: #4d7c0f; --lane-6: #0369a1; --lane-7: #6b21a8;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181c; --fg: #e6e7ea; --muted: #9aa0a8; --rule: #30343b; --panel: #1e2126;
    --race: #fb923c; --race-soft: #3a2414; --bad: #f87171; --bad-soft: #3b1818; --focus: #93c5fd;
    --lane-0: #60a5fa; --lane-1: #a78bfa; --lane-2: #2dd4bf; --lane-3: #fbbf24;
    --lane-4: #f472b6; --lane-5: #a3e635; --lane-6: #38bdf8; --lane-7: #c084fc;
  }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
h1 { font-size: 20px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 22px 0 6px; }
.brand { color: var(--muted); font-size: 12px; letter-spacing: .04em; text-transform: uppercase; }
.subtitle { color: var(--muted); margin: 0 0 14px; }
nav.failures { margin: 8px 0 16px; }
nav.failures a { margin-right: 14px; }
a { color: var(--focus); }
section.failure { margin: 0 0 40px; }
.banner { border-left: 5px solid var(--bad); background: var(--bad-soft); padding: 10px 14px; border-radius: 4px; margin: 10px 0 12px; }
.banner .kind { font-weight: 700; color: var(--bad); font-family: var(--mono); font-size: 15px; }
.banner .message { margin: 2px 0 4px; }
.banner .where { color: var(--muted); font-size: 13px; }
.replay { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 0 0 12px; }
.replay code { background: var(--panel); border: 1px solid var(--rule); border-radius: 4px; padding: 2px 6px; user-select: all; }
.replay button { font: inherit; font-size: 12px; padding: 1px 8px; cursor: pointer; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; color: var(--muted); font-size: 13px; margin: 0 0 8px; }
.controls label { color: var(--fg); cursor: pointer; }
.legend-race { color: var(--race); font-weight: 600; }
.legend-bad { color: var(--bad); font-weight: 600; }
.timeline-wrap { position: relative; }
table.timeline { border-collapse: separate; border-spacing: 0; min-width: 100%; background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; }
table.timeline th { position: sticky; top: 0; z-index: 3; background: var(--panel); border-bottom: 2px solid var(--rule); padding: 8px 10px; text-align: left; font-weight: 600; }
table.timeline th.lane { border-top: 4px solid var(--lane); }
table.timeline th .lane-name { font-family: var(--mono); font-size: 13.5px; color: var(--lane); }
table.timeline th small { display: block; font-weight: 400; color: var(--muted); font-size: 11.5px; }
table.timeline td { padding: 0 10px; vertical-align: middle; }
td.lane-cell, th.lane { border-left: 1px solid var(--rule); min-width: 16rem; }
td.axis, th.axis { width: 1%; white-space: nowrap; color: var(--muted); font-family: var(--mono); font-size: 11.5px; text-align: right; padding: 0 8px; }
.lane-0 { --lane: var(--lane-0); } .lane-1 { --lane: var(--lane-1); } .lane-2 { --lane: var(--lane-2); } .lane-3 { --lane: var(--lane-3); }
.lane-4 { --lane: var(--lane-4); } .lane-5 { --lane: var(--lane-5); } .lane-6 { --lane: var(--lane-6); } .lane-7 { --lane: var(--lane-7); }
tr.call-row td { padding-top: 7px; }
.call { font-family: var(--mono); font-size: 12.5px; font-weight: 600; color: var(--lane); padding: 2px 0 1px; white-space: nowrap; }
.call .hidden-count { font-weight: 400; color: var(--muted); font-size: 11.5px; margin-left: 8px; display: none; }
section.failure:not(.show-all) .call .hidden-count { display: inline; }
section.failure:not(.show-all) tr.quiet { display: none; }
.step { position: relative; z-index: 2; display: flex; gap: 8px; align-items: baseline; margin: 1px 0 1px 10px; padding: 2px 8px;
  border-left: 3px solid var(--lane); border-radius: 3px; background: var(--panel); font-family: var(--mono); font-size: 12.5px; white-space: nowrap; }
.step .op { font-size: 10px; font-weight: 700; color: var(--muted); min-width: 2.6em; }
.step.write .op { color: var(--fg); }
.step .label { flex: 1 1 auto; }
.step .val { color: var(--muted); }
.step .loc { color: var(--muted); font-size: 11.5px; }
.step.racing { background: var(--race-soft); border-left-color: var(--race); outline: 1px solid color-mix(in srgb, var(--race) 45%, transparent); cursor: pointer; }
.step.racing .loc { color: var(--race); font-weight: 600; }
.step .race-badge { color: var(--race); font-size: 11px; font-weight: 700; }
.step.after-violation { box-shadow: 0 0 0 2px var(--bad) inset; }
section.focusing .step.racing:not(.active):not(.partner) { opacity: .45; }
.step.active { outline: 2px solid var(--focus); background: color-mix(in srgb, var(--focus) 14%, var(--panel)); }
.step.partner { outline: 2px dashed var(--race); background: color-mix(in srgb, var(--race) 24%, var(--panel)); }
.step:target { outline: 2px solid var(--focus); }
.preempt { color: var(--race); font-weight: 700; margin-left: 3px; }
tr.violation-row td { padding-top: 4px; padding-bottom: 6px; }
.violation-marker { margin-left: 10px; padding: 5px 10px; border-radius: 4px; background: var(--bad); color: #fff; font-family: var(--mono); font-size: 12.5px; white-space: normal; max-width: 42rem; }
.violation-marker b { margin-right: 6px; }
svg.links { position: absolute; left: 0; top: 0; z-index: 1; pointer-events: none; overflow: visible; }
svg.links path.race { fill: none; stroke: var(--race); stroke-width: 1.6; opacity: .55; }
svg.links circle.end { fill: var(--race); opacity: .7; }
section.focusing svg.links path.race:not(.active), section.focusing svg.links circle.end:not(.active) { opacity: .12; }
svg.links path.race.active { stroke-width: 2.6; opacity: 1; stroke: var(--focus); }
svg.links circle.end.active { fill: var(--focus); opacity: 1; }
table.list { border-collapse: collapse; background: var(--panel); border: 1px solid var(--rule); font-size: 13px; }
table.list th, table.list td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
table.list th { color: var(--muted); font-weight: 600; font-size: 12px; }
table.list tr.race-row { cursor: pointer; }
table.list tr.race-row:hover, table.list tr.race-row.active { background: var(--race-soft); }
.thread { font-family: var(--mono); color: var(--lane); font-weight: 600; }
details { margin-top: 18px; }
details pre { background: var(--panel); border: 1px solid var(--rule); padding: 10px 12px; border-radius: 4px; overflow-x: auto; }
.note { color: var(--muted); font-size: 12.5px; }
footer { color: var(--muted); font-size: 12px; margin-top: 28px; }
`;
