/**
 * The convolution picture of the seeds: the (padded) input grid, the kernel,
 * and the output grid, with the window of output element (1,1) highlighted
 * in the input. Drawn from the validated layer, so sizes, padding and stride
 * are the ones the derivation uses.
 */
import { elementKey } from '../../expr/graph.js';
import type { Namer } from '../../tex/names.js';
import type { ConvLayer, PoolLayer } from './types.js';
import type { Diagram, DiagramNode } from '../../tex/diagram.js';

/** Grids larger than this per side are not drawn cell by cell. */
export const MAX_GRID_SIDE = 8;
const STEP = 0.85; // cm between cell centres

export function slidingFigure(layer: ConvLayer | PoolLayer, inputName: string, namer: Namer): Diagram | null {
  const [rows, cols] = layer.axes;
  const padR = rows.size + rows.before + rows.after, padC = cols.size + cols.before + cols.after;
  if (padR > MAX_GRID_SIDE || padC > MAX_GRID_SIDE) return null;
  const oneRow = layer.kind === 'conv1d';
  const nodes: DiagramNode[] = [];
  const inWindow = (r: number, c: number) => r < rows.window && c < cols.window;
  const label = (name: string, r: number, c: number, spatial: number, channels: boolean) => {
    const index = spatial === 1 ? [c + 1] : [r + 1, c + 1];
    return namer.key(elementKey(name, channels ? [...index, 1] : index));
  };
  // the input, padding dashed, the first window highlighted
  for (let r = 0; r < padR; r++) {
    for (let c = 0; c < padC; c++) {
      const ir = r - rows.before, ic = c - cols.before;
      const pad = ir < 0 || ic < 0 || ir >= rows.size || ic >= cols.size;
      nodes.push({
        id: `in-${r}-${c}`, shape: 'box', x: c * STEP, y: -r * STEP, dashed: pad,
        label: pad ? '0' : label(inputName, ir, ic, layer.in.spatial.length, layer.in.channelAxis),
        fill: inWindow(r, c) ? 'output' : 'hidden',
      });
    }
  }
  let x = padC * STEP + 0.6;
  const mid = -((Math.max(padR, 1) - 1) * STEP) / 2;
  nodes.push({ id: 'op', shape: 'text', x, y: mid, label: layer.kind === 'pool' ? `\\operatorname{${layer.op}}` : '\\star' });
  x += 0.8;
  if (layer.kind !== 'pool') {
    const kShift = -((rows.window - 1) * STEP) / 2 - mid;
    for (let r = 0; r < rows.window; r++) {
      for (let c = 0; c < cols.window; c++) {
        const index = oneRow ? [c + 1] : [r + 1, c + 1];
        const full = layer.kernelAxis ? [1, ...index] : index;
        nodes.push({
          id: `k-${r}-${c}`, shape: 'box', x: x + c * STEP, y: -r * STEP - kShift, fill: 'input',
          label: namer.key(elementKey(layer.kernel, layer.kernelChannelAxis ? [...full, 1] : full)),
        });
      }
    }
    x += cols.window * STEP + 0.6;
  }
  nodes.push({ id: 'eq', shape: 'text', x, y: mid, label: '=' });
  x += 0.8;
  const oShift = -((rows.out - 1) * STEP) / 2 - mid;
  for (let r = 0; r < rows.out; r++) {
    for (let c = 0; c < cols.out; c++) {
      nodes.push({
        id: `out-${r}-${c}`, shape: 'box', x: x + c * STEP, y: -r * STEP - oShift,
        label: label(layer.name, r, c, layer.out.spatial.length, layer.out.channelAxis),
        fill: r === 0 && c === 0 ? 'output' : 'hidden',
      });
    }
  }
  return { nodes, edges: [] };
}
