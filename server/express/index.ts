// tether-session/express: the Express binding (session middleware, CSRF, sign-in/out/renew helpers).
export { tetherExpress, isSignedIn, SessionHttpError, type TetherExpress, type TetherExpressOptions, type SignedInRequest } from './binding.js';
// Rate-limit counters (express-rate-limit stores): per node here; tether-session/redis shares them.
export { createLimitStores, LimitStoreUnavailableError, storeOptions, type LimitStores, type LimitStoresOptions } from '../scale/limit-stores.js';
