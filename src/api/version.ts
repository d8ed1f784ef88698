import { version as packageVersion } from '../../package.json';

export const PRODUCT_NAME = 'bitget-orders';
export const VERSION: string = packageVersion;
