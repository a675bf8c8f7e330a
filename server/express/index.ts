// tether-session/express: the Express binding (session middleware, CSRF, sign-in/out/renew helpers).
export { tetherExpress, isSignedIn, SessionHttpError, type TetherExpress, type TetherExpressOptions, type SignedInRequest } from './binding.js';
