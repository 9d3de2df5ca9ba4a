// Credentials only in a profile, as `aws configure` leaves them: a credentials file with the
// fakes' long-term key, which the AWS SDK's own chain finds through AWS_SHARED_CREDENTIALS_FILE
// in the process's environment (restored afterwards).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS } from '../clouds.ts';

export async function withAwsProfile<T>(body: (file: string) => Promise<T>): Promise<T> {
  const file = join(mkdtempSync(join(tmpdir(), 'aws-profile-')), 'credentials');
  writeFileSync(file, `[default]\naws_access_key_id = ${AWS.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${AWS.AWS_SECRET_ACCESS_KEY}\n`);
  const before = process.env.AWS_SHARED_CREDENTIALS_FILE;
  process.env.AWS_SHARED_CREDENTIALS_FILE = file;
  try {
    return await body(file);
  } finally {
    if (before === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    else process.env.AWS_SHARED_CREDENTIALS_FILE = before;
  }
}
