/** Figure files shared by the questions of a package: one file per distinct SVG, named by its content. */
import { createHash } from 'node:crypto';
import type { QuizFigure, QuizQuestion } from './model.js';

export interface MediaFile { readonly path: string; readonly svg: string; readonly width?: number; readonly height?: number }

export class Media {
  private readonly byContent = new Map<string, MediaFile>();

  constructor(questions: readonly QuizQuestion[], folder = 'media') {
    for (const q of questions) {
      for (const f of q.figures) {
        if (this.byContent.has(f.svg)) continue;
        const hash = createHash('sha256').update(f.svg).digest('hex').slice(0, 16);
        const size = /<svg\b[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)"/.exec(f.svg);
        this.byContent.set(f.svg, { path: `${folder}/fig-${hash}.svg`, svg: f.svg, width: size ? Number(size[1]) : undefined, height: size ? Number(size[2]) : undefined });
      }
    }
  }

  of(f: QuizFigure): MediaFile {
    return this.byContent.get(f.svg)!;
  }

  /** Files in first-use order. */
  files(): MediaFile[] {
    return [...this.byContent.values()];
  }

  /** The files one question shows. */
  used(q: QuizQuestion): MediaFile[] {
    return [...new Set(q.figures.map((f) => this.of(f)))];
  }
}

/** The absolute margin of an answer: a relative tolerance r becomes r * |answer| (12 significant digits), as in quiz.xml. */
export function absoluteMargin(q: Pick<QuizQuestion, 'answer' | 'tolerance'>): number {
  const t = q.tolerance;
  return t.kind === 'absolute' ? t.value : Number((t.value * Math.abs(q.answer)).toPrecision(12));
}
