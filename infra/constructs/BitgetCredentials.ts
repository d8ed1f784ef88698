import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';

export interface BitgetCredentialsOptions {
  namePrefix: string;
  recoveryWindowDays: number;
}

/**
 * The secret the Bitget API credentials live in, JSON `{apiKey, secretKey, passphrase}` (src/config/credentials.ts
 * reads it). Terraform creates the secret and never its value: the keys are put into it once, outside Terraform,
 * with `aws secretsmanager put-secret-value` (putSecretCommand), so they are in no variable, plan, state or
 * synthesized file, and Terraform Cloud never holds them. Until then the functions that read it fail with
 * ResourceNotFoundException ("no value for the staging label AWSCURRENT").
 */
export class BitgetCredentials extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, options: BitgetCredentialsOptions) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      // A prefix, not a name: a destroyed secret keeps its name for the recovery window, which would block a re-apply.
      namePrefix: `${options.namePrefix}/bitget-api-`,
      description:
        'Bitget API credentials for the order extraction: {apiKey, secretKey, passphrase}, put with aws secretsmanager put-secret-value',
      recoveryWindowInDays: options.recoveryWindowDays,
    });
  }
}

/**
 * The shell command that puts the keys into the secret. It reads them from the environment variables the CLI
 * already uses, so they appear in neither the command line nor the shell history, and it passes them on stdin
 * (`file:///dev/stdin`), so they never show in the process list either.
 */
export function putBitgetSecretCommand(secretArn: string, region: string): string {
  return (
    `node -e 'process.stdout.write(JSON.stringify({apiKey:process.env.BITGET_API_KEY,secretKey:process.env.BITGET_SECRET_KEY,passphrase:process.env.BITGET_PASSPHRASE}))'` +
    ` | aws secretsmanager put-secret-value --region ${region} --secret-id ${secretArn} --secret-string file:///dev/stdin`
  );
}
