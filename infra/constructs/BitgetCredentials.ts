import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';

export interface BitgetCredentialsOptions {
  namePrefix: string;
  recoveryWindowDays: number;
}

/** The Terraform variables that carry the Bitget API key; their values never appear in the synthesized JSON. */
export const CREDENTIAL_VARIABLES = {
  apiKey: 'bitget_api_key',
  secretKey: 'bitget_secret_key',
  passphrase: 'bitget_passphrase',
} as const;

/**
 * The Bitget API credentials as one Secrets Manager secret, JSON `{apiKey, secretKey, passphrase}`
 * (src/config/credentials.ts reads it). The values come from sensitive Terraform variables without defaults
 * (TF_VAR_bitget_api_key… locally, workspace variables in Terraform Cloud), so they exist only in the state.
 */
export class BitgetCredentials extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, options: BitgetCredentialsOptions) {
    super(scope, id);
    const variable = (name: string, description: string): TerraformVariable =>
      new TerraformVariable(scope, name, { type: 'string', sensitive: true, nullable: false, description });
    const apiKey = variable(CREDENTIAL_VARIABLES.apiKey, 'Bitget API key (ACCESS-KEY)');
    const secretKey = variable(
      CREDENTIAL_VARIABLES.secretKey,
      'Bitget API secret key, used to sign requests',
    );
    const passphrase = variable(CREDENTIAL_VARIABLES.passphrase, 'Bitget API passphrase (ACCESS-PASSPHRASE)');

    this.secret = new SecretsmanagerSecret(this, 'secret', {
      // A prefix, not a name: a destroyed secret keeps its name for the recovery window, which would block a re-apply.
      namePrefix: `${options.namePrefix}/bitget-api-`,
      description: 'Bitget API credentials for the order extraction: {apiKey, secretKey, passphrase}',
      recoveryWindowInDays: options.recoveryWindowDays,
    });
    new SecretsmanagerSecretVersion(this, 'version', {
      secretId: this.secret.id,
      secretString: Fn.jsonencode({
        apiKey: apiKey.stringValue,
        secretKey: secretKey.stringValue,
        passphrase: passphrase.stringValue,
      }),
    });
  }
}
