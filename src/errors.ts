// Errors are values with a Bitrix code; only http/ turns them into a status line and an envelope.

export class BitrixError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    /** HTTP status a portal answers with for this code. */
    readonly status: number = 400,
    /** Extra envelope keys, e.g. { argument: 'LAST_UPDATE' } for ERROR_ARGUMENT. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${description}`);
  }
}

/** Decision 12: the portal's status for each transport-level code. */
export const Errors = {
  noAuth: () => new BitrixError('NO_AUTH_FOUND', 'Wrong authorization data', 401),
  invalidCredentials: () => new BitrixError('INVALID_CREDENTIALS', 'Invalid request credentials', 401),
  invalidToken: () => new BitrixError('invalid_token', 'The access token provided is invalid', 401),
  expiredToken: () => new BitrixError('expired_token', 'The access token provided has expired', 401),
  insufficientScope: (webhook: boolean) =>
    new BitrixError(
      'insufficient_scope',
      `The request requires higher privileges than provided by the ${webhook ? 'webhook token' : 'access token'}`,
      401,
    ),
  methodNotFound: () => new BitrixError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404),
  accessDenied: (text = 'Access denied!') => new BitrixError('ACCESS_DENIED', text, 403),
  invalidRequest: (text: string) => new BitrixError('INVALID_REQUEST', text, 400),
  queryLimit: () => new BitrixError('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503),
  argument: (argument: string, text: string) =>
    new BitrixError('ERROR_ARGUMENT', text, 400, { argument }),
  internal: () => new BitrixError('INTERNAL_SERVER_ERROR', 'Internal server error', 500),
  /** A method's own error (400 unless the docs say otherwise). */
  method: (code: string, text: string, status = 400) => new BitrixError(code, text, status),
};
