/**
 * The site page's HTML (issue 18 part 5), rendered on the server. Every value from the database or
 * the site configuration goes through escapeHtml: a holder name such as `<script>` is text, never
 * markup (the five characters HTML gives meaning to in text and in quoted attributes, per the HTML
 * standard's "escapingString" of the serialisation algorithm, plus the single quote). The script is
 * a separate file (/app.js) so the Content-Security-Policy can forbid inline script altogether.
 */
import type { DailyList } from '../dailyList.js';
import { osloLocal } from '../format.js';
import type { DecisionRow, GateRow } from './data.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const td = (v: unknown, sortKey?: string) => `<td${sortKey === undefined ? '' : ` data-sort="${escapeHtml(sortKey)}"`}>${escapeHtml(v)}</td>`;
const hhmm = (iso: string | null) => (iso ? osloLocal(iso).slice(11, 19) : '');

/** The list's table body: one row per worker, in dailyList's order. */
export function listRows(l: DailyList): string {
  return l.workers
    .map((w) => {
      const hired = w.hiringCompany ? `${w.hiringCompany.name} (${w.hiringCompany.orgNumber})` : '';
      return `<tr data-card="${escapeHtml(w.cardNumber ?? '')}">${[
        td(w.name ?? '(name missing)'),
        td(w.birthDate ?? ''),
        td(w.employer.name ?? ''),
        td(w.employer.orgNumber ?? ''),
        td(hired),
        td(w.cardNumber ?? 'card on order'),
        td(w.category ?? ''),
        td(hhmm(w.firstTap), w.firstTap ?? ''),
        td(hhmm(w.lastTap), w.lastTap ?? ''),
        td(w.taps, String(w.taps).padStart(6, '0')),
      ].join('')}</tr>`;
    })
    .join('\n');
}

/**
 * A duration in ms as the page writes it: seconds up to 2 min, then minutes, hours, days. `round`:
 * Math.ceil for an upper bound, which must not come out below the figure it stands for.
 */
export function durationText(ms: number, round: (x: number) => number = Math.round): string {
  const s = Math.max(0, round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${round(s / 60)} min`;
  if (s < 172_800) return `${round(s / 3600)} h`;
  return `${round(s / 86_400)} d`;
}

// What the age cells say without an age: the gate decided without a followed list (revision 0), or
// it is of a version that does not report the age (before store migration 5).
const noAge = (g: GateRow) => (g.hotlistRev === 0 ? 'no feed' : 'not reported');

/**
 * The gates' table body (issue 18 part 5): hot-list revision; the list's age at the last tap, as the
 * gate measured it; that age plus the time since the last tap, an upper bound of the list's age now
 * (the gate may have had news of its list since, it cannot have had less); the last tap. Ages carry
 * their ms in data-sort.
 */
export function gateRows(gates: readonly GateRow[], nowMs: number): string {
  return gates
    .map((g) => {
      const sinceTap = Math.max(0, nowMs - Date.parse(g.lastTap));
      const ages =
        g.hotlistAgeMs === null
          ? td(noAge(g)) + td(noAge(g))
          : td(durationText(g.hotlistAgeMs), String(g.hotlistAgeMs)) + td(`≤ ${durationText(g.hotlistAgeMs + sinceTap, Math.ceil)}`, String(g.hotlistAgeMs + sinceTap));
      return `<tr data-gate="${escapeHtml(g.gateId)}">${td(g.gateId)}${td(g.hotlistRev === 0 ? 'no feed' : g.hotlistRev)}${ages}${td(osloLocal(g.lastTap), g.lastTap)}</tr>`;
    })
    .join('\n');
}

/** One decision as a line of text (the server-sent events carry it; the page sets it as textContent). */
export function decisionText(d: DecisionRow): string {
  return `${osloLocal(d.at)} ${d.gateId} ${d.allow ? 'allowed' : 'refused'} (${d.reason}) ${d.cardNumber ?? 'no card number'}${d.holderName ? ` ${d.holderName}` : ''}`;
}

export function decisionItem(d: DecisionRow): string {
  return `<li class="${d.allow ? 'allow' : 'deny'}">${escapeHtml(decisionText(d))}</li>`;
}

const HEAD = ['Name', 'Born', 'Employer', 'Org. no.', 'Hired by', 'HMS card', 'Category', 'First tap', 'Last tap', 'Taps'];

/** `refreshMs`: how often the page fetches the gates' body again, so the ages go on counting. */
export function sitePage(l: DailyList, gates: readonly GateRow[], decisions: readonly DecisionRow[], nowMs: number, refreshMs = 2000): string {
  const date = escapeHtml(l.date);
  return `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>${escapeHtml(l.site.name)}: daily list ${date}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}th{cursor:pointer;background:#eee}.deny{color:#a00}</style>
</head><body data-date="${date}">
<h1>${escapeHtml(l.site.name)} (${escapeHtml(l.site.id)})</h1>
<p>${escapeHtml(l.site.address)}. Byggherre: ${escapeHtml(l.byggherre.name)}, org. ${escapeHtml(l.byggherre.orgNumber)}</p>
<h2>Daily list ${date} (byggherreforskriften § 15)</h2>
<p><input id="search" type="search" placeholder="Search" aria-label="Search the list">
<a id="csv" href="/list.csv?date=${date}" download="site-${escapeHtml(l.site.id)}-${date}.csv">Download CSV</a>
<span id="count">${l.workers.length} worker(s)</span></p>
<table id="list"><thead><tr>${HEAD.map((h, i) => `<th data-col="${i}">${h}</th>`).join('')}</tr></thead>
<tbody>
${listRows(l)}
</tbody></table>
<h2>Gates</h2>
<table id="gates" data-refresh-ms="${refreshMs}"><thead><tr><th>Gate</th><th>Hot-list revision</th><th>List age at last tap</th>
<th title="The list's age at the last tap plus the time since: the gate may have refreshed its list since, so its list is at most this old">List age now (at most)</th><th>Last tap</th></tr></thead>
<tbody>
${gateRows(gates, nowMs)}
</tbody></table>
<h2>Latest decisions</h2>
<ol id="decisions" reversed>
${[...decisions].reverse().map(decisionItem).join('\n')}
</ol>
<script src="/app.js"></script>
</body></html>
`;
}
