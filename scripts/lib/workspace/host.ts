// Where this workspace runs, told by the variables each host sets, and what follows from it:
// the URL a browser opens, and where secrets outlive the workspace.
export type Host = 'ona' | 'codespaces' | 'vscode' | 'gitpod-classic' | 'local';

type Env = Record<string, string | undefined>;

export function host(env: Env): Host {
  // Ona sets GITPOD_ENVIRONMENT_ID in every environment (and no GITPOD_WORKSPACE_*).
  if (env.GITPOD_ENVIRONMENT_ID) return 'ona';
  // Gitpod Classic (stopped starting workspaces in October 2025): GITPOD_WORKSPACE_ID and _URL.
  if (env.GITPOD_WORKSPACE_URL) return 'gitpod-classic';
  // Codespaces' default environment variables: CODESPACES=true, CODESPACE_NAME, and the
  // forwarding domain (docs.github.com, "Default environment variables for your codespace").
  if (env.CODESPACES === 'true' || (env.CODESPACE_NAME && env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN)) return 'codespaces';
  // VS Code's Dev Containers extension sets REMOTE_CONTAINERS=true in the container.
  if (env.REMOTE_CONTAINERS === 'true') return 'vscode';
  return 'local';
}

export const HOST_NAMES: Record<Host, string> = { ona: 'Ona', codespaces: 'GitHub Codespaces', vscode: 'VS Code Dev Containers', 'gitpod-classic': 'Gitpod Classic', local: 'this machine' };

/**
 * The URL a browser uses for a port of this workspace, when it can be derived: never saved,
 * since each new workspace has a new one (how the course's saved URLs went stale). On Ona the
 * URL exists only once the port is opened, and its CLI prints it (gitpod environment port open);
 * here it is localhost, what the port forwards to.
 */
export function publicUrl(port: number, env: Env): string {
  switch (host(env)) {
    case 'gitpod-classic': {
      const url = new URL(env.GITPOD_WORKSPACE_URL!);
      return `${url.protocol}//${port}-${url.host}`;
    }
    case 'codespaces':
      return `https://${env.CODESPACE_NAME}-${port}.${env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN}`;
    default:
      return `http://localhost:${port}`;
  }
}

/**
 * Where the key and credentials should live so the next workspace has them, and what a
 * saved .env does here. Ona: user secrets, environment-variable type; a secret created or
 * changed reaches running environments within 2 minutes, and their processes at the next
 * restart of the environment (ona.com/docs/ona/configuration/secrets/overview, "Secrets and
 * environment lifecycle").
 * Codespaces: Codespaces secrets, for this repository (docs.github.com, "Managing your
 * account-specific secrets for GitHub Codespaces"); a codespace picks them up when restarted.
 */
export function secretsAdvice(env: Env, names: string[]): string | undefined {
  const list = names.join(', ');
  switch (host(env)) {
    case 'ona':
      return `.env lasts only as long as this Ona environment: for the next ones, add ${list} as Ona user secrets of the environment-variable kind (Settings > My Account > Secrets; a project's secrets work too). Ona gives a secret saved now to this environment's processes when it restarts; .env serves it until then.`;
    case 'codespaces':
      return `.env lasts only as long as this codespace: for new ones, add ${list} as Codespaces secrets for this repository (github.com/settings/codespaces); restart a codespace to give it secrets added later.`;
    case 'gitpod-classic':
      return undefined; // setup saves with gp env there, when gp exists
    default:
      return undefined; // .env in the clone is where they live
  }
}
