// The collector image docker-compose.yml pins, on an engine that may not reach ghcr.io: used
// as it is when the engine has the release's image, pulled when it can, and otherwise made
// from the binary the tests run (testkit/otelcol-binary.ts) in a minimal image arranged as the
// release's (test/stack/images/otelcol.Dockerfile), tagged with the pinned name.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { BUILT_HERE_LABEL, collectorBinary, pinnedImage } from '../../testkit/otelcol-binary.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function ensureCollectorImage(log: (line: string) => void): Promise<'present' | 'pulled' | 'built from the builder binary' | 'rebuilt from the builder binary'> {
  const { image } = pinnedImage();
  const label = await execa('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${BUILT_HERE_LABEL}"}}`, image], { reject: false });
  const ours = label.exitCode === 0 ? label.stdout.trim().replace('<no value>', '') : undefined;
  if (label.exitCode === 0 && !ours) return 'present';
  if (label.exitCode !== 0 && (await execa('docker', ['pull', '-q', image], { reject: false, timeout: 180_000 })).exitCode === 0) return 'pulled';
  const binary = await collectorBinary(log);
  // The label holds the binary's hash: a new build of the manifest makes a new image.
  const hash = createHash('sha256').update(readFileSync(binary.path)).digest('hex').slice(0, 16);
  if (ours === hash) return 'present';
  const context = mkdtempSync(join(tmpdir(), 'cruddur-otelcol-image-'));
  try {
    copyFileSync(binary.path, join(context, 'otelcol-contrib'));
    copyFileSync('/etc/ssl/certs/ca-certificates.crt', join(context, 'ca-certificates.crt'));
    copyFileSync(join(here, 'images', 'otelcol.Dockerfile'), join(context, 'Dockerfile'));
    log(`  building ${image} from ${binary.said}`);
    await execa('docker', ['build', '-q', '--label', `${BUILT_HERE_LABEL}=${hash}`, '-t', image, context], { env: { DOCKER_BUILDKIT: '0' }, timeout: 300_000 });
    return ours ? 'rebuilt from the builder binary' : 'built from the builder binary';
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
