/** Command line: argument parsing, exit codes and wiring only (contract 6). */
import { ProblemError } from './errors.js';

const USAGE = `gradsheet: checked, typeset derivations of neural-network gradients

Usage:
  gradsheet build [FILES or folders] [--out out] [--format tex,html,pdf]
  gradsheet derive FILE --json
  gradsheet check FILE --of E --wrt 'K[1,1]' (--answer A | --answer-file F | --derivation F) [--latex] [--tolerance T] [--json]
  gradsheet variants FILE --count N --seed S [--only K] [--out DIR] [--json] [--format tex,html,pdf]
  gradsheet exam FILE [--count N] [--seed S] [--only K] [--out DIR] [--format tex,html,pdf] [--template DIR]
  gradsheet grade FILE --answers responses.csv [--out grades.csv] [--seed S] [--count N]
  gradsheet site [FILES or folders] [--out out/site]
  gradsheet <command> --help

Exit codes: 0 success; 1 a gradient failed its finite-difference check
(or check found an answer not equivalent); 2 bad input.`;

export type CommandResult = number;
type Command = (args: string[]) => Promise<CommandResult> | CommandResult;

/** Each command is loaded only when it runs: `derive` need not load KaTeX and Handlebars (about 0.1 s a process). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  build: async () => (await import('./commands/build.js')).runBuild,
  derive: async () => (await import('./commands/derive.js')).runDerive,
  check: async () => (await import('./commands/check.js')).runCheck,
  variants: async () => (await import('./commands/variants.js')).runVariants,
  exam: async () => (await import('./commands/exam.js')).runExam,
  grade: async () => (await import('./commands/grade.js')).runGrade,
  site: async () => (await import('./commands/site.js')).runSite,
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!load) {
    process.stderr.write(`gradsheet: unknown command '${cmd}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const run = await load();
    return await run(rest);
  } catch (e) {
    if (e instanceof ProblemError) {
      process.stderr.write(`gradsheet: ${e.format()}\n`);
      return 2;
    }
    throw e;
  }
}
