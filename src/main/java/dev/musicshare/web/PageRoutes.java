package dev.musicshare.web;

import dev.musicshare.share.Sha256;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The browser pages: a join page at {@code /} (and at {@code /music-share}, where the desktop app's own server keeps
 * its receiver page), the listener page at {@code /listen/{sessionId}} and the operators' session-history page at
 * {@code /admin}, with their scripts and styles from the jar (Chart.js from its WebJar). Everything is loaded once at start-up: no CDN, no file system, so the pages work offline on a LAN.
 *
 * <p>The pages need no token to load; they hold no data. The listener page asks for the token and sends it only on
 * its own API requests.
 */
public final class PageRoutes {
    /** Scripts and styles only from this server; images also from data/blob URLs (cover art is fetched as a blob). */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; connect-src 'self'; media-src 'self' blob:; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    /** The files under web/assets/ the pages load; each is served with the type its extension names. */
    private static final List<String> ASSETS = List.of("music-share.css", "icon.svg", "join.js", "listen.js",
            "auth.js", "now-playing.js", "samples.js", "lyrics.js", "push-stream.js", "server-clock.js",
            "timeline-player.js", "output-clock.js", "opus-stream.js", "lyrics-view.js", "invite.js",
            "listener-name.js", "media-session.js", "player-view.js", "reception.js", "cover-art.js", "backlog.js",
            "admin.js", "admin.css");
    private static final Map<String, String> TYPES = Map.of(
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");

    private final Page joinPage;
    private final Page listenPage;
    private final Page adminPage;
    private final Map<String, Page> assets;

    /** @param basePath the server's path prefix ("/" for none), written into the pages so their links resolve */
    public PageRoutes(String basePath) {
        String base = basePath.endsWith("/") ? basePath : basePath + "/";
        this.joinPage = html("join.html", base);
        this.listenPage = html("listen.html", base);
        this.adminPage = html("admin.html", base);
        Map<String, Page> pages = new java.util.HashMap<>(ASSETS.stream().collect(Collectors.toUnmodifiableMap(
                name -> name, name -> new Page(read("/web/assets/" + name),
                        TYPES.get(name.substring(name.lastIndexOf('.') + 1))))));
        pages.put("chart.umd.js", new Page(read(chartJs()), "text/javascript; charset=utf-8"));
        this.assets = Map.copyOf(pages);
    }

    public void register(RoutesConfig routes) {
        getAndHead(routes, "/", ctx -> serve(ctx, joinPage));
        getAndHead(routes, "/music-share", ctx -> serve(ctx, joinPage));
        // Any id is served the page: it explains a malformed or unknown code itself, in the page's own words.
        getAndHead(routes, "/listen/{sessionId}", ctx -> serve(ctx, listenPage));
        // The page holds no data: it asks for the token and sends it only on its own API requests.
        getAndHead(routes, "/admin", ctx -> serve(ctx, adminPage));
        getAndHead(routes, "/assets/{file}", ctx -> {
            Page asset = assets.get(ctx.pathParam("file"));
            if (asset == null) {
                ctx.status(404).contentType("application/json").result(
                        "{\"error\":\"No such asset\",\"code\":\"NOT_FOUND\"}");
                return;
            }
            serve(ctx, asset);
        });
    }

    /**
     * A page answers HEAD as it answers GET, without the body (RFC 9110 section 9.3.2), as the API's read routes do:
     * without a HEAD route Javalin answers an empty 200 for any path a GET route matches.
     */
    private static void getAndHead(RoutesConfig routes, String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, handler);
    }

    /** Revalidated on every load (cheap: 304 on a matching ETag), so an upgraded server never serves stale code. */
    private static void serve(Context ctx, Page page) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", page.etag());
        if (page.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(page.contentType()).result(page.bytes());
    }

    private static Page html(String name, String base) {
        String text = new String(read("/web/" + name), StandardCharsets.UTF_8).replace("{{BASE}}", base);
        return new Page(text.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    /** Chart.js's UMD bundle (no dependencies of its own) from the WebJar, whichever version the build pulled in. */
    private static String chartJs() {
        java.util.Properties pom = new java.util.Properties();
        try (InputStream in = PageRoutes.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            if (in == null) throw new IllegalStateException("the chart.js WebJar is missing from the jar");
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/META-INF/resources/webjars/chart.js/" + pom.getProperty("version") + "/dist/chart.umd.js";
    }

    private static byte[] read(String resource) {
        try (InputStream in = PageRoutes.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Page(byte[] bytes, String contentType, String etag) {
        Page(byte[] bytes, String contentType) {
            this(bytes, contentType, "\"" + Sha256.hex(bytes, 12) + "\"");
        }
    }
}
