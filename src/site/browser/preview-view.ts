/** Shows an answer's preview: KaTeX's HTML (trust off, bounded expansion) or the text as text. */
import type { Preview } from '../preview.js';
import { clear, h } from './dom.js';

export function showPreview(target: HTMLElement, text: string, p: Preview): void {
  if (p.kind === 'math') {
    // KaTeX's own markup, from the same options as the sheets: no \href, no \url, no HTML extensions
    target.innerHTML = p.html;
    target.classList.remove('as-text');
  } else {
    clear(target, h('span', { class: 'note' }, `${p.reason}: `), h('code', {}, text));
    target.classList.add('as-text');
  }
}
