/**
 * The playground: a problem file in an editor, its solution sheet re-rendered
 * as the author types. An error shows its line and key and leaves the last
 * good sheet in place (marked out of date); a variant picker (seed, number)
 * shows a variant's sheet instead.
 */
import type { PlaygroundProblem } from '../page-data.js';
import type { VariantChoice } from '../protocol.js';
import type { ClientResult, EngineClient } from './client.js';
import { byTestId, clear, debounce, h } from './dom.js';

export function startPlayground(client: EngineClient, problems: readonly PlaygroundProblem[]): void {
  const select = byTestId<HTMLSelectElement>('problem-select');
  const editor = byTestId<HTMLTextAreaElement>('problem-editor');
  const sheet = byTestId('sheet');
  const error = byTestId('error');
  const seed = byTestId<HTMLInputElement>('variant-seed');
  const number = byTestId<HTMLInputElement>('variant-number');
  const status = byTestId('sheet-status');
  let file = problems[0]?.source.file ?? 'problem.yaml';
  let shown = 0;
  let asked = 0;

  const load = () => {
    const p = problems.find((x) => x.id === select.value) ?? problems[0];
    if (!p) return;
    file = p.source.file;
    editor.value = p.source.text;
    render();
  };

  const variant = (): VariantChoice | null => {
    const n = number.value.trim();
    if (n === '' || n === '0') return null;
    return { seed: seed.value.trim() || '1', number: Number(n) };
  };

  function render(): void {
    const mine = ++asked;
    status.textContent = 'rendering…';
    void client.request({ kind: 'sheet', problem: { file, text: editor.value }, variant: variant() }, 'sheet').then((r) => {
      if (r.kind === 'superseded' || mine < shown) return;
      shown = mine;
      show(r, mine === asked);
    });
  }

  function show(r: ClientResult, latest: boolean): void {
    switch (r.kind) {
      case 'sheet':
        // the renderer's HTML: every user string in it is escaped, math is KaTeX with trust off
        sheet.innerHTML = r.html;
        sheet.classList.remove('stale');
        clear(error);
        error.hidden = true;
        status.textContent = latest ? `${r.subtitle}: rendered in ${Math.round(r.ms)} ms` : '';
        performance.mark('gradsheet:sheet');
        return;
      case 'input-error':
        showError(r.error.message);
        return;
      case 'failed':
        showError(r.message);
        return;
      case 'timeout':
        showError(`stopped: rendering took longer than ${r.capMs / 1000} s (the last good sheet is shown)`);
        return;
      case 'checked':
      case 'prepared':
      case 'preview':
      case 'superseded':
        return;
    }
  }

  function showError(message: string): void {
    // never blank the sheet: the last good one stays, marked out of date
    sheet.classList.add('stale');
    clear(error, h('strong', {}, 'error: '), message);
    error.hidden = false;
    status.textContent = '';
  }

  select.addEventListener('change', load);
  editor.addEventListener('input', debounce(render, 250));
  seed.addEventListener('input', debounce(render, 250));
  number.addEventListener('input', debounce(render, 250));
  client.warm();
  load();
}
