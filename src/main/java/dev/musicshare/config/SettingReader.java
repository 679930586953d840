package dev.musicshare.config;

import dev.musicshare.redis.RedisUrl;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads single settings with their defaults, rejecting bad values with a message that names the variable. */
final class SettingReader {
    private final Map<String, String> values;

    SettingReader(Map<String, String> values) {
        this.values = values;
    }

    /** The value, the default when unset or empty, or null when neither exists. */
    String string(Setting setting) {
        String value = values.get(setting.variable());
        return value == null || value.isEmpty() ? setting.defaultValue() : value.trim();
    }

    int integer(Setting setting, int min, int max) {
        String raw = string(setting);
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(setting.variable() + " must be a whole number, was \"" + raw + "\"");
        }
        if (value < min || value > max) {
            throw new InvalidSettingException(setting.variable() + " must be between " + min + " and " + max
                    + ", was " + value);
        }
        return (int) value;
    }

    /** A decimal number such as {@code 0.5}, between {@code min} and {@code max}. */
    double decimal(Setting setting, double min, double max) {
        String raw = string(setting);
        double value;
        try {
            value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(setting.variable() + " must be a number, was \"" + raw + "\"");
        }
        if (!(value >= min && value <= max)) {
            throw new InvalidSettingException(setting.variable() + " must be between " + min + " and " + max
                    + ", was " + raw);
        }
        return value;
    }

    boolean flag(Setting setting) {
        String raw = string(setting);
        if (raw.equals("true") || raw.equals("false")) return Boolean.parseBoolean(raw);
        throw new InvalidSettingException(setting.variable() + " must be true or false, was \"" + raw + "\"");
    }

    Duration seconds(Setting setting) {
        return Duration.ofSeconds(integer(setting, 1, 7 * 24 * 3600));
    }

    String basePath() {
        String path = string(Setting.BASE_PATH);
        if (!path.matches("/[A-Za-z0-9._~/-]*") || path.contains("//")) {
            throw new InvalidSettingException("BASE_PATH must be a URL path starting with /, e.g. /music, was \""
                    + path + "\"");
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** {@code PUBLIC_URL}: an origin (scheme, host, port; no path, which is BASE_PATH's), or null when unset. */
    String publicUrl() {
        String raw = string(Setting.PUBLIC_URL);
        if (raw == null || raw.isBlank()) return null;
        String origin = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
            throw new InvalidSettingException("PUBLIC_URL must be an origin like https://host[:port] (the path is "
                    + "BASE_PATH), was \"" + raw + "\"");
        }
        return origin;
    }

    Set<String> origins() {
        String raw = string(Setting.CORS_ORIGINS);
        if (raw == null || raw.isBlank()) return Set.of();
        Set<String> origins = new LinkedHashSet<>();
        for (String origin : raw.split(",")) {
            String trimmed = origin.trim();
            if (!trimmed.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new InvalidSettingException("CORS_ORIGINS must list origins like https://host[:port], was \""
                        + trimmed + "\"");
            }
            origins.add(trimmed);
        }
        return Set.copyOf(origins);
    }

    String redisUrl() {
        String url = string(Setting.REDIS_URL);
        if (url == null) return null;
        try {
            RedisUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(e.getMessage()); // names the fault, never the value (a password)
        }
        return url;
    }
}
