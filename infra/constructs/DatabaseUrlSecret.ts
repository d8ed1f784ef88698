import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';

export interface DatabaseUrlSecretOptions {
  namePrefix: string;
  recoveryWindowDays: number;
}

export const DATABASE_URL_VARIABLE = 'database_url';

/**
 * The API's database address (`mysql://user:password@host:3306/db`) holds a password, so it is a secret like the
 * Bitget key: a sensitive variable stored in Secrets Manager, whose ARN alone reaches the api function.
 */
export class DatabaseUrlSecret extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, options: DatabaseUrlSecretOptions) {
    super(scope, id);
    const url = new TerraformVariable(scope, DATABASE_URL_VARIABLE, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'Database of the API: mysql://user:password@host:3306/database',
    });
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      namePrefix: `${options.namePrefix}/database-url-`,
      description: 'Database URL of the bitget-orders API',
      recoveryWindowInDays: options.recoveryWindowDays,
    });
    new SecretsmanagerSecretVersion(this, 'version', {
      secretId: this.secret.id,
      secretString: url.stringValue,
    });
  }
}
