/**
 * A problem page: the sheet, a hidden solution, and the checker. The student
 * picks d of / d wrt, types an answer (plain text or LaTeX, or a derivation
 * one step per line), and the engine in the Worker gives the CLI's verdict.
 */
import type { CheckJson } from '../../check/report.js';
import type { Derivative } from '../page-data.js';
import type { InputError, ProblemSource } from '../protocol.js';
import type { ClientResult, EngineClient } from './client.js';
import { byTestId, clear, debounce, h } from './dom.js';
import { showPreview } from './preview-view.js';

export function startProblemPage(client: EngineClient, problem: ProblemSource, derivatives: readonly Derivative[], solutionHtml: string): void {
  // the solution sheet enters the page when it is first opened: the renderer's HTML (escaped text, KaTeX)
  const details = byTestId<HTMLDetailsElement>('solution-toggle');
  const solution = byTestId('solution-sheet');
  details.addEventListener('toggle', () => { if (details.open && !solution.hasChildNodes()) solution.innerHTML = solutionHtml; });
  // the problem picker goes to the other problem's page (pages are siblings in problems/)
  const picker = byTestId<HTMLSelectElement>('problem-select');
  picker.addEventListener('change', () => { location.href = `${encodeURIComponent(picker.value)}.html`; });
  if (derivatives.length === 0) return;
  const of = byTestId<HTMLSelectElement>('of');
  const wrt = byTestId<HTMLSelectElement>('wrt');
  const answer = byTestId<HTMLTextAreaElement>('answer');
  const latex = byTestId<HTMLInputElement>('latex-toggle');
  const derivation = byTestId<HTMLInputElement>('derivation-toggle');
  const button = byTestId<HTMLButtonElement>('check-button');
  const previewEl = byTestId('preview');
  const verdict = byTestId('verdict');
  const diagnosis = byTestId('diagnosis');
  const entries = byTestId('entries');
  const answerError = byTestId('answer-error');
  const status = byTestId('check-status');

  const fillWrt = () => {
    const d = derivatives.find((x) => x.of === of.value) ?? derivatives[0];
    const keep = wrt.value;
    clear(wrt, ...(d?.wrt ?? []).map((w) => h('option', { value: w }, w)));
    if (d?.wrt.includes(keep)) wrt.value = keep;
  };
  const prepare = () => {
    void client.request({ kind: 'prepare', problem, of: of.value, wrt: wrt.value }, 'prepare').then((r) => { if (r.kind === 'prepared') performance.mark('gradsheet:prepared'); });
  };
  of.addEventListener('change', () => { fillWrt(); prepare(); });
  wrt.addEventListener('change', prepare);

  const updatePreview = () => {
    const text = answer.value, tex = latex.checked;
    if (text.trim() === '') { clear(previewEl); return; }
    void client.request({ kind: 'preview', text, latex: tex }, 'preview').then((r) => {
      // a later keystroke may have answered first: show only the preview of what is in the box now
      if (r.kind === 'preview' && answer.value === text && latex.checked === tex) showPreview(previewEl, text, r.preview);
    });
  };
  const later = debounce(updatePreview, 80);
  answer.addEventListener('input', later);
  latex.addEventListener('change', updatePreview);
  derivation.addEventListener('change', () => { answer.rows = derivation.checked ? 8 : 3; });

  let busy = 0;
  button.addEventListener('click', () => {
    const text = answer.value.replace(/\s+$/, '');
    performance.mark('gradsheet:check-start');
    busy++;
    status.textContent = 'checking…';
    void client.request({ kind: 'check', problem, of: of.value, wrt: wrt.value, answer: text, latex: latex.checked, derivation: derivation.checked }).then((r) => {
      busy--;
      show(r);
      if (busy === 0) status.textContent = '';
    });
  });

  function show(r: ClientResult): void {
    clear(answerError);
    clear(diagnosis);
    clear(entries);
    switch (r.kind) {
      case 'checked':
        verdict.textContent = verdictLine(r.text);
        verdict.className = r.json.equivalent ? 'verdict yes' : 'verdict no';
        showDiagnosis(diagnosis, r.json, r.text);
        showEntries(entries, r.json);
        performance.mark('gradsheet:verdict');
        performance.measure('gradsheet:check', 'gradsheet:check-start', 'gradsheet:verdict');
        return;
      case 'input-error':
        clear(verdict);
        verdict.className = 'verdict';
        showInputError(answerError, r.error);
        return;
      case 'failed':
      case 'timeout':
        clear(verdict);
        verdict.className = 'verdict';
        answerError.textContent = r.kind === 'timeout' ? `stopped: the check took longer than ${r.capMs / 1000} s` : r.message;
        return;
      case 'prepared':
      case 'sheet':
      case 'preview':
      case 'superseded':
        return;
    }
  }

  fillWrt();
  updatePreview();
  client.warm();
  prepare();
  button.disabled = false;
}

/** The CLI's verdict line: `equivalent (symbolic): ...` or `not equivalent (numeric): ...`. */
export function verdictLine(text: string): string {
  return text.split('\n').find((l) => /^(not )?equivalent \(/.test(l)) ?? text.split('\n')[0]!;
}

/**
 * The CLI's own lines, in two places: before the verdict a derivation's line-by-line results, after it
 * the diagnosis and the counterexample, then one line per tensor entry (shown as the entries table).
 */
function showDiagnosis(el: HTMLElement, json: CheckJson, text: string): void {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^(not )?equivalent \(/.test(l));
  const entryLines = flatEntries(json).length;
  const before = lines.slice(0, Math.max(0, at));
  const after = lines.slice(at + 1, lines.length - entryLines);
  if (before.length) el.append(h('ol', { class: 'lines' }, ...before.map((l) => h('li', { class: /does not follow|first line that/.test(l) ? 'no' : 'yes' }, l))));
  for (const l of after) el.append(h('div', {}, l.trim()));
}

interface EntryJson { entry: string; equivalent: boolean; method: string; diagnosis: string | null; detail: string | null }

function flatEntries(json: CheckJson): EntryJson[] {
  const flat: EntryJson[] = [];
  const walk = (x: unknown) => { if (Array.isArray(x)) x.forEach(walk); else if (x !== undefined) flat.push(x as EntryJson); };
  walk(json.entries);
  return flat;
}

function showEntries(el: HTMLElement, json: CheckJson): void {
  const flat = flatEntries(json);
  if (flat.length === 0) return;
  const table = h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'entry'), h('th', {}, 'verdict'), h('th', {}, 'diagnosis'))));
  const body = h('tbody');
  for (const e of flat) {
    body.append(h('tr', { class: e.equivalent ? 'yes' : 'no' }, h('td', {}, e.entry), h('td', {}, e.equivalent ? 'equivalent' : 'not equivalent'),
      h('td', {}, e.diagnosis ? `${e.diagnosis}${e.detail ? ` - ${e.detail}` : ''}` : '')));
  }
  table.append(body);
  el.append(table);
}

function showInputError(el: HTMLElement, e: InputError): void {
  el.append(h('div', {}, e.source === 'answer' && e.line !== undefined ? `answer line ${e.line}: ${e.message}` : e.message));
  if (e.excerpt) el.append(h('pre', {}, e.excerpt));
}
