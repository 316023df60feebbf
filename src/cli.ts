/** Command line: argument parsing, exit codes and wiring only (contract 6). */
import { ProblemError } from './errors.js';
import { runBuild } from './commands/build.js';
import { runDerive } from './commands/derive.js';
import { runCheck } from './commands/check.js';
import { runVariants } from './commands/variants.js';
import { runExam } from './commands/exam.js';
import { runGrade } from './commands/grade.js';

const USAGE = `gradsheet: checked, typeset derivations of neural-network gradients

Usage:
  gradsheet build [FILES or folders] [--out out] [--format tex,html,pdf]
  gradsheet derive FILE --json
  gradsheet check FILE --of E --wrt 'K[1,1]' (--answer A | --answer-file F | --derivation F) [--latex] [--tolerance T] [--json]
  gradsheet variants FILE --count N --seed S [--only K] [--out DIR] [--json] [--format tex,html,pdf]
  gradsheet exam FILE [--count N] [--seed S] [--only K] [--out DIR] [--format tex,html,pdf] [--template DIR]
  gradsheet grade FILE --answers responses.csv [--out grades.csv] [--seed S] [--count N]
  gradsheet <command> --help

Exit codes: 0 success; 1 a gradient failed its finite-difference check
(or check found an answer not equivalent); 2 bad input.`;

export type CommandResult = number;
type Command = (args: string[]) => Promise<CommandResult> | CommandResult;

const COMMANDS: Record<string, Command> = {
  build: runBuild,
  derive: runDerive,
  check: runCheck,
  variants: runVariants,
  exam: runExam,
  grade: runGrade,
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    process.stderr.write(`gradsheet: unknown command '${cmd}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof ProblemError) {
      process.stderr.write(`gradsheet: ${e.format()}\n`);
      return 2;
    }
    throw e;
  }
}
