import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { Construct } from 'constructs';
import type { NodejsFunction } from './NodejsFunction';

/**
 * The api function's HTTPS endpoint. AWS_IAM only: every request must be SigV4-signed by a principal allowed
 * `lambda:InvokeFunctionUrl` (and `lambda:InvokeFunction`) on the function; there is no anonymous access.
 */
export class FunctionUrl extends Construct {
  readonly url: LambdaFunctionUrl;

  constructor(scope: Construct, id: string, target: NodejsFunction) {
    super(scope, id);
    this.url = new LambdaFunctionUrl(this, 'url', {
      functionName: target.function.functionName,
      authorizationType: 'AWS_IAM',
      invokeMode: 'BUFFERED',
    });
  }
}
