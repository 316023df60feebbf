/** The two LMS packages of a quiz set, as zip bytes: QTI 2.1 and Canvas's QTI 1.2. */
import { canvasFiles } from './canvas.js';
import type { QuizSet } from './model.js';
import { qti21Files } from './qti21.js';
import { zipFiles } from './zip.js';

export const QTI21_ZIP = 'quiz-qti.zip';
export const CANVAS_ZIP = 'quiz-canvas.zip';

export function qtiPackages(set: QuizSet): Map<string, Buffer> {
  return new Map([
    [QTI21_ZIP, zipFiles(qti21Files(set))],
    [CANVAS_ZIP, zipFiles(canvasFiles(set))],
  ]);
}

export type { QuizSet, QuizQuestion, QuizPart, QuizFigure, QuizLayout } from './model.js';
