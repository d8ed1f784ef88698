import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The string value of a Secrets Manager secret (undefined when it has none): the one place the product reads a
 * secret. Asked in the secret's own region (an ARN's fourth field), so that a local run reading an AWS secret
 * needs no AWS_REGION. The SDK's errors are passed on; callers word them without the value.
 */
export async function readSecretString(secretArn: string): Promise<string | undefined> {
  const region = secretArn.split(':')[3] || undefined;
  const client = new SecretsManagerClient(region ? { region } : {});
  const answer = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  return answer.SecretString;
}
