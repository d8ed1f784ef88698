import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';

export interface DatabaseUrlSecretOptions {
  namePrefix: string;
  recoveryWindowDays: number;
}

/**
 * The API's database address (`mysql://user:password@host:3306/db?ssl=rds`) holds a password, so it is a secret like
 * the Bitget key, and like it the value is put outside Terraform (putDatabaseUrlCommand): the ARN alone reaches the
 * api function, and no variable, plan or state holds the password.
 */
export class DatabaseUrlSecret extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, options: DatabaseUrlSecretOptions) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      namePrefix: `${options.namePrefix}/database-url-`,
      description: 'Database URL of the bitget-orders API, put with aws secretsmanager put-secret-value',
      recoveryWindowInDays: options.recoveryWindowDays,
    });
  }
}

/** Puts DATABASE_URL from the environment into the secret, on stdin (never on a command line). */
export function putDatabaseUrlCommand(secretArn: string, region: string): string {
  return (
    `printf %s "$DATABASE_URL"` +
    ` | aws secretsmanager put-secret-value --region ${region} --secret-id ${secretArn} --secret-string file:///dev/stdin`
  );
}
