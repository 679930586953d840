package dev.musicshare.redis;

import dev.musicshare.store.StoreUnavailableException;
import java.util.Locale;

/**
 * What a failed connect at start-up is reported as: a Redis that answered but refused the password, sentinels that
 * know no master of the configured name, or else an unreachable Redis. The first two are not network problems, and
 * the line says which setting to check. Built from the cause chain's messages (Redis's own error replies and
 * Lettuce's); never names the password.
 */
final class StartUpFailure {
    private StartUpFailure() {}

    /**
     * @param url the configured URL (its {@link RedisUrl#describe} and master name are used, never its credentials)
     * @param purpose appended to "unreachable" ("" or " for live events")
     */
    static StoreUnavailableException of(RedisUrl url, String purpose, Throwable error) {
        if (refusedPassword(error)) {
            return new StoreUnavailableException("Redis at " + url.describe()
                    + " refused the password (check the password in REDIS_URL)", error);
        }
        if (url.kind() == RedisUrl.Kind.SENTINEL && unknownMaster(error, url.sentinelMasterId())) {
            String sentinels = url.describe().substring("redis-sentinel://".length());
            sentinels = sentinels.substring(0, sentinels.indexOf('/') < 0 ? sentinels.length() : sentinels.indexOf('/'));
            return new StoreUnavailableException("the sentinels at " + sentinels + " know no master named "
                    + url.sentinelMasterId(), error);
        }
        return new StoreUnavailableException("Redis at " + url.describe() + " is unreachable" + purpose, error);
    }

    /** WRONGPASS (wrong password or user), NOAUTH (none given), or an error about AUTH itself. */
    private static boolean refusedPassword(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message == null) continue;
            if (message.contains("WRONGPASS") || message.contains("NOAUTH") || message.contains("ERR AUTH")
                    || message.contains("-AUTH")) {
                return true;
            }
        }
        return false;
    }

    /** Lettuce's failure to get the master's address from any sentinel, which answered none for the name. */
    private static boolean unknownMaster(Throwable error, String masterId) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("masterid " + masterId.toLowerCase(
                    Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
