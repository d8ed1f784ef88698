import type { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { StorageOptions } from '../config';
import { RESULTS_PREFIX, RUNS_PREFIX } from '../functions';
import { policyDocument, toJson } from '../iam';

export interface RunBucketOptions extends Omit<StorageOptions, 'resultsRetentionDays'> {
  namePrefix: string;
  /** The results rule: disabled while `keptForever` (an HCL condition) holds, otherwise expiring after `days`. */
  results: { keptForever: string; days: string };
  account: DataAwsCallerIdentity;
  region: DataAwsRegion;
}

/**
 * The bucket of plans, parts, cursors (`runs/`) and results (`results/`): private, encrypted, TLS-only, versioned,
 * and cleaned up by lifecycle rules. Named `<prefix>-<account>-<region>`, which cannot collide across accounts.
 *
 * Encryption is SSE-S3 (AES256): the AWS-managed `aws/s3` KMS key would add a KMS request to every part written and
 * read (cost, and KMS request quotas shared with the account) without adding any access control, since its key
 * policy cannot be narrowed; a customer-managed key is the step to take when key-level separation is required.
 */
export class RunBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, options: RunBucketOptions) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: `${options.namePrefix}-${options.account.accountId}-${options.region.region}`,
      forceDestroy: options.forceDestroy,
    });
    const bucket = this.bucket.id;

    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    // A Deny must cover every action, so this statement is the one place an action wildcard (`s3:*`) is right.
    new S3BucketPolicy(this, 'tls-only', {
      bucket,
      policy: toJson(
        policyDocument([
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: ['s3:*'],
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      ),
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: 'expire-runs',
        status: 'Enabled',
        filter: [{ prefix: RUNS_PREFIX }],
        expiration: [{ days: options.runsExpirationDays }],
      },
      {
        // Always present, disabled to keep results forever: a rule toggled on and off keeps its place in the plan.
        id: 'expire-results',
        status: `\${${options.results.keptForever} ? "Disabled" : "Enabled"}`,
        filter: [{ prefix: RESULTS_PREFIX }],
        expiration: [{ days: Token.asNumber(options.results.days) }],
      },
      {
        id: 'noncurrent-and-incomplete',
        status: 'Enabled',
        filter: [{}],
        noncurrentVersionExpiration: [{ noncurrentDays: options.noncurrentVersionExpirationDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: options.abortIncompleteMultipartUploadDays }],
        // Delete markers left once every noncurrent version behind them has expired.
        expiration: [{ expiredObjectDeleteMarker: true }],
      },
    ];
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: rules,
      // Lifecycle rules on noncurrent versions need versioning to be configured first.
      dependsOn: [versioning],
    });
  }
}
