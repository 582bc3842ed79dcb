import type { LinktrackConfig } from '@linktrack/config';
import { checkSurvival } from '@linktrack/links';
import { CliError } from '../errors.js';
import type { CommandIo } from './links.js';

/** `linktrack check <url>`: follows the chain and says which UTMs and click ids reached the end. */
export async function checkCommand(config: LinktrackConfig, args: string[], io: CommandIo): Promise<number> {
  const url = args[0];
  if (!url || args.length > 1) throw new CliError('LT_CLI_USAGE', 'usage: linktrack check <url>');
  try {
    new URL(url);
  } catch {
    throw new CliError('LT_CLI_USAGE', `check: "${url}" is not an absolute URL`);
  }
  const report = await checkSurvival(url, {
    allowPrivate: config.links.checkAllowPrivate,
    extraParams: [config.links.clickIdParam],
  });
  for (const [i, h] of report.hops.entries()) io.print(`${i + 1}. ${h.status} ${h.url}`);
  io.print(`final: ${report.final_url}`);
  if (report.error) io.print(`stopped: ${report.error.message} [${report.error.code}]`);
  for (const p of report.lost) io.print(`lost: ${p}`);
  for (const c of report.changed) io.print(`changed: ${c.param} "${c.from}" → "${c.to}"`);
  io.print(report.ok ? 'ok: every tracked parameter arrived unchanged' : 'not ok');
  return report.ok ? 0 : 1;
}
