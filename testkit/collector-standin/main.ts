// The stand-in's command line, as otelcol-contrib's: --config (repeatable) and --feature-gates.
import { startCollector } from './collector.ts';

function flags(argv: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) out.push(argv[++i] ?? '');
    else if (arg.startsWith(`--${name}=`)) out.push(arg.slice(name.length + 3));
  }
  return out;
}

const argv = process.argv.slice(2);
try {
  const configs = flags(argv, 'config');
  const collector = await startCollector({ configs: configs.length ? configs : ['/etc/otelcol-contrib/config.yaml'], gates: flags(argv, 'feature-gates') });
  const stop = () => void collector.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  console.error(`Error: ${(err as Error).message}`);
  process.exit(1);
}
