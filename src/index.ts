export const PRODUCT = 'bitget-orders';
