/**
 * The server's view of the settings: the one schema in config/settings.ts, plus what only the
 * server needs to know about addresses.
 */
export { ConfigError, readSettings as readConfig, type Settings as ServerConfig, type SecuritySettings, type LimitsSettings } from "../config/settings.ts";

/** True for addresses only this machine can reach (used to warn and to guard the admin route). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address === "localhost" || /^(::ffff:)?127\./.test(address);
}
