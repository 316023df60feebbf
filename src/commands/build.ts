/** `gradsheet build`: problem and solution sheets per problem. (Rendering lands next.) */
export function runBuild(_args: string[]): number {
  return 0;
}
