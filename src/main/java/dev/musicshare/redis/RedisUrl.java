package dev.musicshare.redis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code REDIS_URL} taken apart: which shape of Redis the nodes talk to and where it is. Three shapes:
 * <ul>
 *   <li>{@code redis://[[user]:password@]host[:port][/db]} (or {@code rediss://} for TLS): one Redis;</li>
 *   <li>{@code redis-sentinel://[[user]:password@]host[:port][,host[:port]…][/db]?sentinelMasterId=NAME}: the
 *       sentinels to ask and the name of the master they watch (port 26379 by default), so the nodes follow a
 *       failover by themselves;</li>
 *   <li>{@code redis-cluster://[[user]:password@]host[:port][,host[:port]…]}: seed nodes of a Redis Cluster (any
 *       few; the rest is discovered), which has only database 0.</li>
 * </ul>
 * The spelling follows Lettuce's (which also accepts {@code sentinelMasterId} as a query parameter). Credentials
 * are percent-decoded; they authenticate at the data nodes (a Sentinel setup's sentinels are asked without them).
 * Nothing here ever echoes the value: it may hold a password ({@link #toString} leaves it out).
 *
 * @param kind             the shape
 * @param nodes            one host for {@link Kind#STANDALONE}; the sentinels or the cluster's seed nodes
 * @param username         ACL user name, or null (the default user)
 * @param password         password, or null
 * @param database         logical database (0 on a cluster)
 * @param tls              {@code rediss://}
 * @param sentinelMasterId the master's name in the sentinels' configuration (Sentinel only, else null)
 */
public record RedisUrl(Kind kind, List<Node> nodes, String username, String password, int database, boolean tls,
        String sentinelMasterId) {

    /** The shapes of Redis a node can talk to. */
    public enum Kind { STANDALONE, SENTINEL, CLUSTER }

    /** A host and port; IPv6 addresses without brackets. */
    public record Node(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private static final int REDIS_PORT = 6379;
    private static final int SENTINEL_PORT = 26379;
    private static final String SHAPES = "redis://host:port[/db], redis-sentinel://host:port[,host:port…]"
            + "/?sentinelMasterId=NAME or redis-cluster://host:port[,host:port…]";

    public RedisUrl {
        nodes = List.copyOf(nodes);
    }

    /**
     * Parses {@code REDIS_URL}.
     *
     * @throws IllegalArgumentException naming what is wrong (never the value itself); the settings report it as an
     *     invalid {@code REDIS_URL}
     */
    public static RedisUrl parse(String value) {
        int schemeEnd = value.indexOf("://");
        if (schemeEnd < 0) throw invalid("REDIS_URL must look like " + SHAPES);
        String scheme = value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        Kind kind;
        boolean tls = false;
        switch (scheme) {
            case "redis" -> kind = Kind.STANDALONE;
            case "rediss" -> {
                kind = Kind.STANDALONE;
                tls = true;
            }
            case "redis-sentinel" -> kind = Kind.SENTINEL;
            case "redis-cluster" -> kind = Kind.CLUSTER;
            default -> throw invalid("REDIS_URL must look like " + SHAPES);
        }
        String rest = value.substring(schemeEnd + 3);
        // The credentials go first, up to the last '@': a password with a stray '/', '?' or '#' must not end up
        // in a part that an error message quotes.
        String username = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : decode(userInfo.substring(0, colon));
            // redis://secret@host is Lettuce's spelling of a password without a user name.
            password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            username = user.isEmpty() ? null : user;
            if (password.isEmpty()) password = null;
        }
        String fragment = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String query = null;
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        List<Node> nodes = nodes(rest, kind);
        int database = database(path, kind);
        String masterId = fragment == null || fragment.isEmpty() ? null : decode(fragment);
        if (query != null && !query.isEmpty()) {
            for (String parameter : query.split("&")) {
                if (parameter.isEmpty()) continue;
                int equals = parameter.indexOf('=');
                String name = equals < 0 ? parameter : parameter.substring(0, equals);
                String parameterValue = equals < 0 ? "" : decode(parameter.substring(equals + 1));
                if (kind == Kind.SENTINEL && name.equals("sentinelMasterId")) {
                    masterId = parameterValue;
                } else {
                    throw invalid("REDIS_URL has an unknown parameter \"" + name + "\""
                            + (kind == Kind.SENTINEL ? " (the only one is sentinelMasterId)" : " (it takes none)"));
                }
            }
        }
        if (kind == Kind.SENTINEL && (masterId == null || masterId.isBlank())) {
            throw invalid("REDIS_URL redis-sentinel://… needs ?sentinelMasterId=NAME: the master's name in the "
                    + "sentinels' configuration (sentinel monitor NAME …)");
        }
        if (kind != Kind.SENTINEL && masterId != null) {
            throw invalid("REDIS_URL names a sentinel master, but only redis-sentinel:// URLs have one");
        }
        return new RedisUrl(kind, nodes, username, password, database, tls, masterId);
    }

    /** The first node: the server of a {@link Kind#STANDALONE} URL. */
    public Node node() {
        return nodes.get(0);
    }

    /** The shape and the nodes, never the credentials: fit for logs. */
    public String describe() {
        StringBuilder out = new StringBuilder(switch (kind) {
            case STANDALONE -> tls ? "rediss://" : "redis://";
            case SENTINEL -> "redis-sentinel://";
            case CLUSTER -> "redis-cluster://";
        });
        for (int i = 0; i < nodes.size(); i++) out.append(i == 0 ? "" : ",").append(nodes.get(i));
        if (database != 0) out.append('/').append(database);
        if (sentinelMasterId != null) out.append(database == 0 ? "/" : "").append("?sentinelMasterId=").append(sentinelMasterId);
        return out.toString();
    }

    @Override
    public String toString() {
        return "RedisUrl[" + describe() + (username == null ? "" : ", user=" + username)
                + (password == null ? "" : ", password=…") + "]";
    }

    private static List<Node> nodes(String hosts, Kind kind) {
        if (hosts.isEmpty()) throw invalid("REDIS_URL names no host; it must look like " + SHAPES);
        String[] parts = hosts.split(",", -1);
        if (kind == Kind.STANDALONE && parts.length > 1) {
            throw invalid("REDIS_URL redis:// names one host; several are redis-sentinel://… or redis-cluster://…");
        }
        int defaultPort = kind == Kind.SENTINEL ? SENTINEL_PORT : REDIS_PORT;
        List<Node> nodes = new ArrayList<>();
        for (String part : parts) nodes.add(node(part, defaultPort));
        return nodes;
    }

    private static Node node(String text, int defaultPort) {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw invalid("REDIS_URL has an IPv6 host without its closing ]: " + text);
            host = text.substring(1, close);
            String after = text.substring(close + 1);
            if (after.startsWith(":")) port = after.substring(1);
            else if (!after.isEmpty()) throw invalid("REDIS_URL host " + text + " is not host:port");
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                throw invalid("REDIS_URL host " + text + " is not host:port (write an IPv6 address in [ ])");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            if (colon >= 0) port = text.substring(colon + 1);
        }
        if (host.isEmpty()) throw invalid("REDIS_URL has an empty host in its host list (\"" + text + "\")");
        if (port == null) return new Node(host, defaultPort);
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 1 || number > 65_535) {
            throw invalid("REDIS_URL host " + text + " has port \"" + port + "\"; a port is 1-65535");
        }
        return new Node(host, number);
    }

    private static int database(String path, Kind kind) {
        if (path.isEmpty()) return 0;
        int database;
        try {
            database = Integer.parseInt(path);
        } catch (NumberFormatException e) {
            database = -1;
        }
        if (database < 0) throw invalid("REDIS_URL's database (after the /) is not a number (0, 1, …)");
        if (kind == Kind.CLUSTER && database != 0) {
            throw invalid("REDIS_URL names database " + database + ", but a Redis Cluster has only database 0");
        }
        return database;
    }

    /** Percent-decoding as in a URI's user info: a '+' stays a '+' (URLDecoder alone would make it a space). */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("REDIS_URL has a % that is not followed by two hex digits");
        }
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException(message);
    }
}
