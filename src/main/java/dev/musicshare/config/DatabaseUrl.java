package dev.musicshare.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where session history lives when it is not the embedded file: {@code DATABASE_URL} as PostgreSQL's own URI form
 * ({@code postgresql://user:password@host:5432/db}, also {@code postgres://}, as Heroku-style platforms and the
 * seed's compose set it) or a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=…}), turned into a JDBC URL and
 * separate credentials. {@link #toString} never shows the password.
 *
 * @param jdbcUrl  the JDBC URL without credentials (a {@code jdbc:} URL is kept as given)
 * @param user     user name, or null (then the JDBC URL's own or the driver's default)
 * @param password password, or null
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    /** Parses {@code DATABASE_URL}; the message of a refusal does not echo the value (it may hold a password). */
    public static DatabaseUrl parse(String value) {
        if (value.startsWith("jdbc:postgresql:")) return new DatabaseUrl(value, null, null);
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme) || uri.getHost() == null) throw invalid();
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) password = decode(userInfo.substring(colon + 1));
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new DatabaseUrl("jdbc:postgresql://" + uri.getHost() + port + path + query, user, password);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl.replaceAll("(?i)password=[^&]*", "password=…") + ", user=" + user + "]";
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static InvalidSettingException invalid() {
        return new InvalidSettingException(
                "DATABASE_URL must look like postgresql://user:password@host:5432/database or jdbc:postgresql://…");
    }
}
