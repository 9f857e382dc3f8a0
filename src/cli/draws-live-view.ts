/** Whether `crashtop` draws the live view (two terminals, not `TERM=dumb`) rather than printing the report. */
export const drawsLiveView = (
  stdout: { isTTY?: boolean },
  stdin: { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
): boolean => stdout.isTTY === true && stdin.isTTY === true && env.TERM !== 'dumb';
