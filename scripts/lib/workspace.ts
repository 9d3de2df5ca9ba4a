/** Where this workspace runs: Gitpod, Codespaces, or anywhere else (localhost). */
export type Host = 'gitpod' | 'codespaces' | 'local';

export function host(env: Record<string, string | undefined>): Host {
  if (env.GITPOD_WORKSPACE_URL) return 'gitpod';
  if (env.CODESPACE_NAME && env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN) return 'codespaces';
  return 'local';
}

/**
 * The URL a browser uses for a port of this workspace. Derived on every start, never saved:
 * each new workspace has a new URL, which is how the course's saved ones went stale.
 */
export function publicUrl(port: number, env: Record<string, string | undefined>): string {
  switch (host(env)) {
    case 'gitpod': {
      const url = new URL(env.GITPOD_WORKSPACE_URL!);
      return `${url.protocol}//${port}-${url.host}`;
    }
    case 'codespaces':
      return `https://${env.CODESPACE_NAME}-${port}.${env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN}`;
    default:
      return `http://localhost:${port}`;
  }
}

