/**
 * The inventory of malformed problem files (issue 8): every kind of mistake a hand-edited or
 * hostile file can hold, each with the line and key the one-line message must name. Lines are
 * counted by hand from the texts below (HEAD is lines 1-2).
 */
export interface InventoryCase {
  readonly name: string;
  readonly text: string | Buffer;
  /** the line the message must name; undefined where the input has no line (empty file, size) */
  readonly line?: number;
  /** the YAML key path the message must name, where the input has one */
  readonly key?: string;
  readonly says: RegExp;
}

const HEAD = 'id: bad\ntitle: Bad input\n';
const CHAIN = 'network: {kind: chain, depth: 1, activation: sigmoid, output: linear}\n';
const GIVEN = 'given:\n  x: 1\n  w1: 0.5\n  b1: 0\n  w2: 2\n  b2: 1\n'; // lines 4-9 after HEAD + CHAIN
const ASK = 'ask:\n  - gradient: {of: o, wrt: [b1]}\n';
const GOOD = HEAD + CHAIN + GIVEN + ASK;
const eqs = (...lines: string[]): string => `network:\n  kind: equations\n  equations:\n${lines.map((l) => `    ${l}\n`).join('')}`;
const rnn = (over: Record<string, string> = {}): string => {
  const k = { mode: 'many-to-one', steps: '2', sizes: '{input: 2, hidden: 2, output: 2}', hidden: 'tanh', output: 'softmax', loss: 'cross-entropy', bias: 'false', ...over };
  return `network:\n  kind: rnn\n${Object.entries(k).map(([a, b]) => `  ${a}: ${b}\n`).join('')}`; // kind line 4, mode 5, steps 6, sizes 7, ...
};
const RNN_GIVEN = 'given: {x: [[1, 0], [0, 1]], t: [0, 1], h0: [0, 0], W1: {fill: 0.1}, H1: {fill: 0.1}, W2: {fill: 0.1}}\nask:\n  - forward: [E]\n';
const layers = (input: string, layer: string): string => `network:\n  kind: layers\n  input: {name: X, shape: ${input}}\n  layers:\n    - ${layer}\n`; // input line 5, layer line 7
const CONV = '{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}, stride: [1, 1], padding: [0, 0], bias: false}';
const LAYERS_GIVEN = 'given: {X: {fill: 1}, K: {fill: 1}}\nask:\n  - forward: [Y]\n';
const BUDGET = /^BudgetExceeded: .*exceeds the limit of 200,000 nodes \(raise it with --max-nodes N\)/;

/** a chain of YAML aliases, each list holding ten of the one before: 10^9 leaves if expanded */
const laughs = ['id: bad', 'title: Bad input', 'a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]'];
for (let i = 1; i <= 9; i++) laughs.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);

export const CASES: readonly InventoryCase[] = [
  // --- the file as a whole
  { name: 'empty-file', text: '', line: 1, says: /a problem file is a mapping/ },
  { name: 'only-comments', text: '# nothing here\n', line: 1, says: /a problem file is a mapping/ },
  { name: 'top-level-list', text: '- id: bad\n- title: x\n', line: 1, says: /a problem file is a mapping/ },
  { name: 'top-level-scalar', text: 'just some words\n', line: 1, says: /a problem file is a mapping/ },
  { name: 'binary-garbage', text: Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919 + 13) % 256)), line: 1, says: /./ },
  { name: 'nul-bytes', text: HEAD + 'statement: "a\u0000b"\n' + CHAIN + GIVEN + ASK, line: 3, key: 'statement', says: /control character/ },
  { name: 'five-megabytes', text: GOOD + '# ' + 'x'.repeat(5_000_000) + '\n', says: /file larger than 4000000 bytes/ },
  { name: 'two-documents', text: GOOD + '---\n' + GOOD, line: 12, says: /^YAML: / },
  // --- YAML syntax
  { name: 'unclosed-flow', text: HEAD + 'network: {kind: chain, depth: 1\n' + GIVEN + ASK, line: 4, says: /^YAML: / },
  { name: 'unclosed-quote', text: HEAD + 'statement: "never closed\n' + CHAIN + GIVEN + ASK, line: 13, says: /^YAML: Missing closing/ }, // the YAML parser finds out at the end of the file
  { name: 'bad-indent', text: HEAD + CHAIN + 'given:\n  x: 1\n w1: 2\n' + ASK, line: 6, says: /^YAML: / },
  { name: 'tab-indent', text: HEAD + CHAIN + 'given:\n\tx: 1\n' + ASK, line: 5, says: /a tab indents this line/ },
  { name: 'duplicate-top-key', text: HEAD + 'title: Again\n' + CHAIN + GIVEN + ASK, line: 3, says: /the key 'title' appears twice/ },
  { name: 'duplicate-given-key', text: HEAD + CHAIN + GIVEN + '  w1: 0.7\n' + ASK, line: 10, says: /the key 'w1' appears twice/ },
  { name: 'alias-value', text: HEAD + CHAIN + 'given:\n  x: &v 1\n  w1: *v\n  b1: 0\n  w2: 2\n  b2: 1\n' + ASK, line: 6, says: /aliases such as '\*v' are not allowed/ },
  { name: 'billion-laughs', text: laughs.join('\n') + '\n' + CHAIN + GIVEN + ASK, line: 4, says: /aliases such as '\*a' are not allowed/ },
  { name: 'deep-nesting', text: HEAD + CHAIN + GIVEN.replace('x: 1', `x: ${'['.repeat(5000)}1${']'.repeat(5000)}`) + ASK, line: 5, says: /^YAML: / },
  // --- keys and types
  { name: 'missing-network', text: HEAD + GIVEN + ASK, line: 1, says: /missing required key 'network'/ },
  { name: 'unknown-top-key', text: HEAD + 'gvien: {x: 1}\n' + CHAIN + GIVEN + ASK, line: 3, key: 'gvien', says: /unknown key 'gvien'/ },
  { name: 'id-escapes', text: 'id: ../../etc/x\ntitle: t\n' + CHAIN + GIVEN + ASK, line: 1, key: 'id', says: /id must match/ },
  { name: 'id-absolute', text: 'id: /tmp/x\ntitle: t\n' + CHAIN + GIVEN + ASK, line: 1, key: 'id', says: /id must match/ },
  { name: 'title-is-a-map', text: 'id: bad\ntitle: {a: 1}\n' + CHAIN + GIVEN + ASK, line: 2, key: 'title', says: /expected a single value/ },
  { name: 'depth-is-text', text: HEAD + 'network: {kind: chain, depth: three}\n' + GIVEN + ASK, line: 3, key: 'network.depth', says: /expected a whole number, got "three"/ },
  { name: 'depth-negative', text: HEAD + 'network: {kind: chain, depth: -1}\n' + GIVEN + ASK, line: 3, key: 'network.depth', says: /from 1 to/ },
  { name: 'exact-not-bool', text: HEAD + 'exact: maybe\n' + CHAIN + GIVEN + ASK, line: 3, key: 'exact', says: /expected true or false/ },
  { name: 'precision-huge', text: HEAD + 'precision: 1000\n' + CHAIN + GIVEN + ASK, line: 3, key: 'precision', says: /from 1 to 17/ },
  { name: 'given-is-a-list', text: HEAD + CHAIN + 'given: [1, 2]\n' + ASK, line: 4, key: 'given', says: /expected a mapping/ },
  { name: 'value-is-text', text: HEAD + CHAIN + GIVEN.replace('w1: 0.5', 'w1: abc') + ASK, line: 6, key: 'given.w1', says: /expected a number or a fraction/ },
  { name: 'value-division-by-zero', text: HEAD + CHAIN + GIVEN.replace('w1: 0.5', 'w1: "1/0"') + ASK, line: 6, key: 'given.w1', says: /expected a number or a fraction/ },
  { name: 'nan', text: HEAD + CHAIN + GIVEN.replace('w1: 0.5', 'w1: .nan') + ASK, line: 6, key: 'given.w1', says: /expected a finite number, got NaN/ },
  { name: 'inf', text: HEAD + CHAIN + GIVEN.replace('b2: 1', 'b2: -.inf') + ASK, line: 9, key: 'given.b2', says: /expected a finite number, got -Infinity/ },
  { name: 'overflowing-number', text: HEAD + CHAIN + GIVEN.replace('b2: 1', 'b2: 1e400') + ASK, line: 9, key: 'given.b2', says: /expected a finite number, got Infinity/ },
  { name: 'shadows-exp', text: HEAD + CHAIN + GIVEN + '  exp: 3\n' + ASK, line: 10, key: 'given.exp', says: /'exp' is a function name/ },
  { name: 'ask-unknown', text: HEAD + CHAIN + GIVEN + 'ask:\n  - hessian: {of: o}\n', line: 11, key: 'ask[0].hessian', says: /unknown ask 'hessian'/ },
  { name: 'ask-empty', text: HEAD + CHAIN + GIVEN + 'ask: []\n', line: 10, key: 'ask', says: /ask lists nothing/ },
  { name: 'wrt-unknown', text: HEAD + CHAIN + GIVEN + 'ask:\n  - gradient: {of: o, wrt: [zz]}\n', line: 11, says: /zz/ },
  // --- networks
  { name: 'unknown-kind', text: HEAD + 'network: {kind: transformer, depth: 1}\n' + GIVEN + ASK, line: 3, key: 'network.kind', says: /unknown network kind 'transformer'/ },
  { name: 'unknown-function', text: HEAD + eqs('h: sigma(w*x)') + 'given: {w: 1, x: 1}\nask:\n  - forward: [h]\n', line: 6, key: 'network.equations.h', says: /unknown function 'sigma'/ },
  { name: 'equation-shadows-function', text: HEAD + eqs('exp: 2*x') + 'given: {x: 1}\nask:\n  - forward: [exp]\n', line: 6, says: /exp/ },
  { name: 'cycle', text: HEAD + eqs('a: w*b + x', 'b: sigmoid(a)') + 'given: {w: 1, x: 1}\nask:\n  - forward: [b]\n', line: 6, key: 'network.equations.a', says: /cycle/ },
  { name: 'self-reference', text: HEAD + eqs('a: a + 1') + 'given: {}\nask:\n  - forward: [a]\n', line: 6, says: /a/ },
  { name: 'formula-syntax', text: HEAD + eqs('h: (w*x') + 'given: {w: 1, x: 1}\nask:\n  - forward: [h]\n', line: 6, says: /./ },
  { name: 'formula-code', text: HEAD + eqs('h: process.exit(3)') + 'given: {x: 1}\nask:\n  - forward: [h]\n', line: 6, says: /./ },
  { name: 'formula-deep', text: HEAD + eqs(`h: ${'('.repeat(3000)}x${')'.repeat(3000)}`) + 'given: {x: 1}\nask:\n  - forward: [h]\n', line: 6, says: /./ },
  { name: 'formula-long', text: HEAD + eqs(`h: ${Array(20000).fill('x').join('+')}`) + 'given: {x: 1}\nask:\n  - forward: [h]\n', line: 6, says: /./ },
  { name: 'wrong-shape', text: HEAD + CHAIN + GIVEN.replace('x: 1', 'x: [1, 2]') + ASK, line: 5, key: 'given.x', says: /shape/ },
  { name: 'ragged-matrix', text: HEAD + 'network: {kind: mlp, sizes: [2, 2, 1]}\ngiven: {x: [1, 2], W1: [[1, 2], [3]], b1: [0, 0], W2: [[1, 1]], b2: 0}\nask:\n  - forward: [o]\n', line: 4, says: /./ },
  { name: 'chain-depth-million', text: HEAD + 'network: {kind: chain, depth: 1000000}\n' + GIVEN + ASK, line: 3, key: 'network.depth', says: /from 1 to/ },
  { name: 'rnn-steps-million', text: HEAD + rnn({ steps: '1000000' }) + RNN_GIVEN, line: 6, key: 'network.steps', says: /1000/ },
  { name: 'rnn-sizes-huge', text: HEAD + rnn({ sizes: '{input: 100000, hidden: 100000, output: 2}' }), line: 7, says: /./ },
  { name: 'rnn-over-budget', text: HEAD + rnn({ steps: '1000', sizes: '{input: 256, hidden: 256, output: 256}', mode: 'many-to-many', output: 'identity', loss: 'half-squared-error' }) + 'given: {x: {fill: 1}, t: {fill: 0}, h0: {fill: 0}, W1: {fill: 0.1}, H1: {fill: 0.1}, W2: {fill: 0.1}}\nask:\n  - forward: [E]\n', line: 6, key: 'network.steps', says: BUDGET },
  { name: 'rnn-unknown-output', text: HEAD + rnn({ output: 'maxout' }) + RNN_GIVEN, line: 9, key: 'network.output', says: /maxout/ },
  { name: 'mlp-sizes-huge', text: HEAD + 'network: {kind: mlp, sizes: [100000, 100000]}\ngiven: {x: {fill: 1}}\nask:\n  - forward: [o]\n', line: 3, says: /4096/ },
  { name: 'mlp-over-budget', text: HEAD + 'network: {kind: mlp, sizes: [4096, 4096, 4096]}\ngiven: {x: {fill: 1}}\nask:\n  - forward: [o]\n', line: 3, key: 'network.sizes', says: BUDGET },
  { name: 'layers-ten-million-fill', text: HEAD + layers('[10000, 1000]', CONV) + LAYERS_GIVEN, line: 5, key: 'network.input.shape', says: BUDGET },
  { name: 'layers-10^15-elements', text: HEAD + layers('[100000, 100000, 100000]', CONV) + LAYERS_GIVEN, line: 5, key: 'network.input.shape', says: BUDGET },
  { name: 'layers-kernel-too-big', text: HEAD + layers('[3, 3]', CONV.replace('[2, 2]', '[5, 5]')) + LAYERS_GIVEN, line: 7, says: /./ },
  { name: 'layers-stride-zero', text: HEAD + layers('[3, 3]', CONV.replace('stride: [1, 1]', 'stride: [0, 1]')) + LAYERS_GIVEN, line: 7, says: /./ },
  { name: 'layers-unknown-layer', text: HEAD + layers('[3, 3]', '{kind: attention, name: Y}') + LAYERS_GIVEN, line: 7, key: 'network.layers[0].kind', says: /attention/ },
  // --- values that leave the finite numbers during the derivation
  { name: 'log-of-negative', text: HEAD + eqs('a: log(x - 2)') + 'given: {x: 1}\nask:\n  - gradient: {of: a, wrt: [x]}\n', line: 6, key: 'network.equations.a', says: /not a finite number \(NaN\)/ },
  { name: 'overflow-forward', text: HEAD + eqs('a: exp(x)') + 'given: {x: 1000}\nask:\n  - forward: [a]\n', line: 6, key: 'network.equations.a', says: /not a finite number \(Infinity\)/ },
  { name: 'infinite-gradient', text: HEAD + eqs('E: sqrt(w)') + 'given: {w: 0}\nask:\n  - gradient: {of: E, wrt: [w]}\n', line: 7, key: 'given', says: /dE\/dw is not a finite number \(Infinity\)/ },
  { name: 'infinite-update', text: HEAD + eqs('E: w*w/2') + 'given: {w: 1e150}\nask:\n  - update: {of: E, params: [w], rule: sgd, rate: 1e200}\n', line: 9, key: 'ask[0].update', says: /updated value of 'w' is not a finite number/ },
];
