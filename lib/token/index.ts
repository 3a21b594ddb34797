export { requestToken, TOKEN_PATH, type RequestTokenOptions } from './request-token';
export { TokenRequestError, type TokenRequestErrorCode, type TokenRequestErrorDetails } from './error';
export { PrivateToken } from './codecs';
