// tether-session/express: the Express binding (session middleware, CSRF, sign-in/out/renew helpers, ready-made routes).
export { tetherExpress, isSignedIn, SessionHttpError, type TetherExpress, type TetherExpressOptions, type SignedInRequest } from './binding.js';
// Rate-limit counters (express-rate-limit stores): per node here; tether-session/redis shares them.
export { createLimitStores, LimitStoreUnavailableError, storeOptions, type LimitStores, type LimitStoresOptions } from '../scale/limit-stores.js';
// The contract's HTTP API as an optional Router, and the pieces it is made of.
export { tetherRoutes } from './routes/tether-routes.js';
export type { TetherRoutesOptions, SessionStateExtras } from './routes/context.js';
export { UsernameTakenError, type Account, type AccountsPort, type PasswordHasher, type RouteHooks, type RouteEvent, type SignedInEvent, type FailedSignInEvent } from './routes/ports.js';
export { createLoginLimit, type LoginLimit, type LoginLimitOptions } from './routes/login-limit.js';
export { HttpError, sendError, apiErrors, apiNotFound, requireJsonBody } from './routes/api-errors.js';
export { parseBody, requireUser, requireFresh } from './routes/request-checks.js';
