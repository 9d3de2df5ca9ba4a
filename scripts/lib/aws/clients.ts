import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { XRayClient } from '@aws-sdk/client-xray';
import { networkFault, type Fault } from '../net/faults.ts';
import type { Settings } from '../workspace/settings.ts';

// The SDK's names for the AWS_ENDPOINT_URL_<SERVICE> variables.
type Service = 'sts' | 'xray' | 'cloudwatch_logs';

/**
 * Client options from the settings' environment, not process.env, so a test (or `.env`)
 * decides: region, static keys when present (else the SDK's own chain: profiles, SSO), and
 * the SDK's standard endpoint override variables AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL.
 */
export function clientConfig(settings: Settings, service: Service) {
  const env = settings.env;
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true';
  const endpoint = ignore ? undefined : (env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] ?? env.AWS_ENDPOINT_URL);
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined }
      : undefined;
  return { region: settings.awsRegion.value, endpoint: endpoint || undefined, credentials, maxAttempts: 2 };
}

/**
 * One client per service and settings: a client resolves its credentials, region and
 * endpoint rules on its first call, which took ~20 ms each, so the doctor's two X-Ray calls
 * share one. (The CloudWatch Logs client is in cloudwatch-logs.ts: its package loads only
 * when logs go there.)
 */
export function perSettings<C>(make: (s: Settings) => C): (s: Settings) => C {
  const clients = new WeakMap<Settings, C>();
  return (s) => {
    let client = clients.get(s);
    if (!client) clients.set(s, (client = make(s)));
    return client;
  };
}

export const stsClient = perSettings((s) => new STSClient(clientConfig(s, 'sts')));
export const xrayClient = perSettings((s) => new XRayClient(clientConfig(s, 'xray')));

export type Identity = { ok: true; value: { Account: string; Arn: string } } | { ok: false; fault: Fault };

/**
 * sts:GetCallerIdentity, judged: an answer with no account id (an HTML page, a proxy's JSON)
 * is not STS, whatever its status, and the credentials are not proven.
 */
export async function callerIdentity(settings: Settings): Promise<Identity> {
  const endpoint = clientConfig(settings, 'sts').endpoint ?? `https://sts.${settings.awsRegion.value}.amazonaws.com`;
  try {
    const out = await stsClient(settings).send(new GetCallerIdentityCommand({}), deadline());
    if (!out.Account || !/^\d{12}$/.test(out.Account)) {
      return { ok: false, fault: { cause: `${endpoint} answered GetCallerIdentity without an account id: that is not AWS STS`, fix: 'check AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL (unset them unless you mean a local endpoint) and any proxy in between' } };
    }
    return { ok: true, value: { Account: out.Account, Arn: out.Arn ?? '' } };
  } catch (err) {
    return { ok: false, fault: awsFault(err, 'sts:GetCallerIdentity', settings.env) };
  }
}

/** X-Ray's answer to GetGroup for a group that does not exist (an InvalidRequestException saying so). */
export const isMissingGroup = (err: unknown): boolean =>
  (err as Error)?.name === 'InvalidRequestException' && /not found/i.test((err as Error).message);

/** Every call gets a deadline; the SDK's own default is to wait as long as the socket does. */
export const deadline = (ms = 10_000) => ({ abortSignal: AbortSignal.timeout(ms) });

/**
 * An AWS SDK failure as a cause and a fix; access denials name the IAM action to grant. `env`,
 * when given, tells a refused session token from a refused key id: AWS answers both the same.
 */
export function awsFault(err: unknown, what: string, env: Record<string, string | undefined> = {}): Fault {
  const e = err as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? '';
  const message = e?.message ?? String(err);
  const action = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z]+)/.exec(message)?.[1];
  if (/AccessDenied/i.test(name) || action) {
    return {
      cause: `AWS denied ${what}${action ? `: the credentials lack ${action}` : ''}`,
      fix: `grant ${action ?? 'the permission'} to the IAM user or role (for the course: attach ${action?.startsWith('logs:') ? 'CloudWatchLogsFullAccess' : 'AWSXrayFullAccess'}), then run again`,
    };
  }
  if (/ExpiredToken/i.test(name) || /expired/i.test(message)) {
    return { cause: 'the AWS credentials have expired', fix: 'get fresh credentials (aws sso login, or new keys) and save them with npm run setup' };
  }
  if (name === 'InvalidClientTokenId' || name === 'UnrecognizedClientException') {
    // "The security token included in the request is invalid": with a session token beside
    // long-term keys (AKIA…, which take none), the token is what AWS refuses, not the key id.
    if (env.AWS_SESSION_TOKEN && /^AKIA/.test(env.AWS_ACCESS_KEY_ID ?? '')) {
      return { cause: 'AWS refused AWS_SESSION_TOKEN: it is set beside long-term keys (AKIA…), which take no session token, so AWS rejects the request as an invalid security token', fix: 'remove AWS_SESSION_TOKEN (from .env and the environment: unset AWS_SESSION_TOKEN), left from earlier temporary credentials; temporary credentials need all three fresh together' };
    }
    return { cause: 'AWS does not recognise AWS_ACCESS_KEY_ID', fix: 'check the key id in IAM (it may be deleted or mistyped) and save it with npm run setup' };
  }
  if (name === 'SignatureDoesNotMatch' || name === 'InvalidSignatureException') {
    return { cause: 'AWS_SECRET_ACCESS_KEY does not match the key id', fix: 'copy the secret again (no spaces or quotes) and save it with npm run setup' };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return { cause: 'no AWS credentials were found', fix: 'run npm run setup (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)' };
  }
  if (/Region is missing/i.test(message)) {
    return { cause: 'no AWS region is set', fix: 'set AWS_REGION (the course uses us-east-1) with npm run setup or export AWS_REGION=us-east-1' };
  }
  // X-Ray's model names its 429 ThrottledException; other services say ThrottlingException.
  if (name === 'ThrottledException' || name === 'ThrottlingException' || name === 'TooManyRequestsException' || e.$metadata?.httpStatusCode === 429) {
    return { cause: `AWS is throttling ${what}: too many requests per second on this account`, fix: 'wait a minute and run again; another tool calling X-Ray in a loop (a console tab, a script) shares the limit' };
  }
  // The SDK's network errors carry where they went (Node's hostname, address and port).
  const service = /^(sts|xray|logs):/.exec(what)?.[1];
  const variable = service ? `AWS_ENDPOINT_URL_${service === 'logs' ? 'CLOUDWATCH_LOGS' : service.toUpperCase()} or AWS_ENDPOINT_URL` : 'AWS_ENDPOINT_URL';
  const n = err as { hostname?: string; address?: string; port?: number; cause?: { hostname?: string; address?: string; port?: number } };
  const hostname = n?.hostname ?? n?.cause?.hostname;
  const address = n?.address ?? n?.cause?.address;
  const port = n?.port ?? n?.cause?.port;
  const where = hostname ?? (address ? `${address}${port ? `:${port}` : ''}` : undefined);
  const network = networkFault(err, where ? `https://${where}` : 'AWS', `AWS (${where ?? 'its endpoint'})`, `check ${variable}: unset it unless you mean a local endpoint`);
  if (network) return { ...network, fix: `${network.fix}; ${variable} decides where the ${service ?? 'AWS'} client goes` };
  const status = e.$metadata?.httpStatusCode;
  if (status && status >= 500) return { cause: `AWS answered ${status} to ${what}: a problem on its side`, fix: 'try again in a few minutes' };
  if (e instanceof SyntaxError || /Deserialization|Unexpected token|not valid JSON|XML/i.test(`${name} ${message}`)) {
    return { cause: `AWS's answer to ${what} could not be read (${name})`, fix: 'check AWS_ENDPOINT_URL is unset or points at the real service' };
  }
  return { cause: `${what} failed: ${name}${message ? `: ${message}` : ''}`, fix: 'run npm run doctor for the details' };
}
