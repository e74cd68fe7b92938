/**
 * What the HTML reports share (the match report, html.ts; the impact report, impact-html.ts):
 * the style sheet and the table. Browser-safe: no Node built-ins.
 */

/** A table: header cells, then rows of cells (already HTML). `numeric` columns align right. A
 * row's `note` (already HTML) is a line across the table under it; each row and its note are
 * then kept together on paper. */
export function table(
  className: string,
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
  notes: readonly string[] = [],
): string {
  const cls = (i: number) => (numeric.includes(i) ? ' class="num"' : "");
  const tr = (row: readonly string[], extra: string) =>
    `<tr${extra}>${row.map((c, i) => `<td${cls(i)}>${c}</td>`).join("")}</tr>`;
  const thead = `<thead><tr>${head.map((h, i) => `<th scope="col"${cls(i)}>${h}</th>`).join("")}</tr></thead>`;
  const body =
    notes.length === 0
      ? `<tbody>${rows.map((row) => tr(row, "")).join("")}</tbody>`
      : rows
          .map((row, r) =>
            notes[r]
              ? `<tbody class="noted">${tr(row, ' class="has-note"')}<tr class="row-note"><td></td><td colspan="${row.length - 1}">${notes[r]}</td></tr></tbody>`
              : `<tbody>${tr(row, "")}</tbody>`,
          )
          .join("");
  return `<table class="${className}">${thead}${body}</table>`;
}

/** The reports' style sheet: screen and paper. */
export const STYLE = `
:root{--ink:#1a202c;--muted:#5a6472;--line:#d5dbe3;--soft:#f4f6f9;--accent:#2f6690;--fill:#3a7ca5;--cap:#9fb8cc;--ok:#23703b;--bad:#b42318;--warn:#9a6200}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;color:var(--ink);background:#fff;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header,main{max-width:1080px;margin:0 auto;padding:0 24px}
header{padding-top:24px;padding-bottom:8px;border-bottom:2px solid var(--accent)}
h1{margin:0 0 4px;font-size:26px}
.meta{margin:0;color:var(--muted)}
nav ol{display:flex;flex-wrap:wrap;gap:4px 18px;margin:10px 0 0;padding:0;list-style:none;font-size:14px}
nav a{color:var(--accent);text-decoration:none}
section{padding:18px 0 8px;border-bottom:1px solid var(--line)}
h2{font-size:20px;margin:0 0 10px;color:var(--accent)}
h3{font-size:16px;margin:16px 0 6px}
p{margin:6px 0}
code{font:13px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
.note,.empty,.ids{color:var(--muted);font-size:14px}
.status{border-left:6px solid var(--accent);padding:8px 12px;background:var(--soft)}
.status-optimal{border-color:var(--ok)}
.status-feasible{border-color:var(--accent)}
.status-time_limit{border-color:var(--warn)}
.status-infeasible{border-color:var(--bad)}
.callout.warn{border-left:6px solid var(--bad);padding:6px 12px}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px;margin:12px 0}
.stat{border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.stat dt{font-size:13px;color:var(--muted)}
.stat dd{margin:2px 0 0;font-size:19px;font-weight:600;font-variant-numeric:tabular-nums}
.stat .sub{display:block;font-size:13px;font-weight:400;color:var(--muted)}
figure{margin:8px 0}
.chart{display:block;width:100%;max-width:760px;height:auto;font-size:12px}
.chart .bin{fill:var(--fill)}
.chart .grid,.bar .grid{stroke:#e6eaf0;stroke-width:1}
.chart .axis{stroke:#8894a3;stroke-width:1}
.chart .tick{fill:var(--muted)}
.chart .axis-title{fill:var(--ink);font-size:13px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:baseline}
thead th{border-bottom:2px solid #aab4c0;font-weight:600;vertical-align:bottom}
th.num{text-align:right}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td code{white-space:nowrap;overflow-wrap:normal}
tr.has-note td{border-bottom:none}
tr.row-note td{padding-top:0}
table.bars td{vertical-align:middle}
table.bars th:nth-child(2),table.bars td:nth-child(2){width:42%;padding-left:14px;padding-right:14px}
.bar{display:block;width:100%;height:16px}
.bar .capacity{fill:#fff;stroke:var(--cap);stroke-width:1.5}
.bar .fill{fill:var(--fill)}
.bar-axis{position:relative;height:16px;font-size:11px;font-weight:400;color:var(--muted)}
.bar-axis span{position:absolute;bottom:0;transform:translateX(-50%);white-space:nowrap}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.sentences{padding-left:20px}
.sentences li{margin:4px 0}
.sentences ul{padding-left:18px;margin:2px 0}
.ok{color:var(--ok);font-weight:600}
.bad{color:var(--bad);font-weight:700}
table.groups{table-layout:fixed}
table.groups th:first-child{width:28%}
.rules .message{display:block;font-size:12.5px;color:var(--muted)}
table.pairs td:nth-child(5){font-size:13px}
table.unmatched td:nth-child(2){white-space:nowrap}
@page{size:A4;margin:14mm}
@media print{
body{font-size:10pt;background:#fff;color:#000}
header,main{max-width:none;padding:0}
nav{display:none}
a{color:inherit;text-decoration:none}
section{border-bottom:none;padding-top:10px}
h2,h3{break-after:avoid;page-break-after:avoid}
tr,tbody.noted,.stat,.sentences li,figure,.status{break-inside:avoid;page-break-inside:avoid}
table.bars th:nth-child(2),table.bars td:nth-child(2){width:34%}
thead{display:table-header-group}
.status,code{background:none}
code{padding:0}
.stats{grid-template-columns:repeat(4,1fr)}
.chart{max-width:100%}
table{font-size:9pt}
}
`;
