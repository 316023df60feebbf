/** The sheets' Handlebars templates, read and compiled by input/templates.ts (the one reader of templates). */
import { compileTemplate, type Compiled } from '../input/templates.js';
import type { SheetData, TemplateName } from './sheets.js';

export type { SheetData, TemplateName } from './sheets.js';

/** The templates a sheet render reads for these formats (a PDF is compiled from the TeX sheet). */
export function sheetTemplateNames(formats: readonly string[]): TemplateName[] {
  const names: TemplateName[] = [];
  if (formats.includes('tex') || formats.includes('pdf')) names.push('problem.tex', 'solution.tex');
  if (formats.includes('html')) names.push('problem.html', 'solution.html');
  return names;
}

export function template(name: TemplateName, dir?: string): Compiled<SheetData> {
  return compileTemplate<SheetData>(name, dir);
}
