/**
 * The folders of src/ in their import order (../shared/DESIGN.md, "Folders
 * and the import direction"; the README's architecture section shows it):
 * a module imports from its own layer or from layers before it, never after.
 * Within a layer (networks/core, networks/<kind>, the registry) only the
 * no-cycle rule applies.
 */
export const LAYERS = [
  'errors', 'expr', 'ops', 'numeric', 'simplify', 'diff',
  'tex', 'input', 'networks', 'problem', 'derive', 'render',
  'variants', 'check', 'exam', 'site', 'commands', 'cli', 'index',
] as const;

/** A folder is src/<a> or src/<a>/<b> (networks/rnn counts apart from networks); a file directly in src/ is its own. */
export function folderOf(path: string): string {
  const parts = path.split('/');
  if (parts.length === 1) return parts[0]!.replace(/\.ts$/, '');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

export function layerOf(folder: string): number {
  return (LAYERS as readonly string[]).indexOf(folder.split('/')[0]!);
}
