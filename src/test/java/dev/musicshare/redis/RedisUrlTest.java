package dev.musicshare.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.musicshare.redis.RedisUrl.Kind;
import dev.musicshare.redis.RedisUrl.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisUrlTest {

    @Test
    void a_single_redis_keeps_its_host_port_database_and_credentials() {
        RedisUrl url = RedisUrl.parse("redis://app:s%40cret+1@cache.example.org:6380/2");
        assertThat(url.kind()).isEqualTo(Kind.STANDALONE);
        assertThat(url.nodes()).containsExactly(new Node("cache.example.org", 6380));
        assertThat(url.username()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s@cret+1");
        assertThat(url.database()).isEqualTo(2);
        assertThat(url.tls()).isFalse();
        assertThat(url.sentinelMasterId()).isNull();
        assertThat(RedisUrl.parse("redis://localhost").node()).isEqualTo(new Node("localhost", 6379));
        assertThat(RedisUrl.parse("rediss://:pw@[::1]:7000").tls()).isTrue();
        assertThat(RedisUrl.parse("rediss://:pw@[::1]:7000").node()).isEqualTo(new Node("::1", 7000));
        // Lettuce's spelling of a password without a user name.
        assertThat(RedisUrl.parse("redis://pw@h:1").password()).isEqualTo("pw");
        assertThat(RedisUrl.parse("redis://pw@h:1").username()).isNull();
    }

    @Test
    void a_sentinel_url_lists_the_sentinels_and_names_the_master() {
        RedisUrl url = RedisUrl.parse("redis-sentinel://:pw@10.0.0.1:26380,10.0.0.2,[fe80::1]:26381/?sentinelMasterId=music");
        assertThat(url.kind()).isEqualTo(Kind.SENTINEL);
        assertThat(url.nodes()).containsExactly(new Node("10.0.0.1", 26380), new Node("10.0.0.2", 26379),
                new Node("fe80::1", 26381));
        assertThat(url.sentinelMasterId()).isEqualTo("music");
        assertThat(url.password()).isEqualTo("pw");
        assertThat(url.username()).isNull();
        // Lettuce's other spellings: the name as the fragment, a database before the query.
        assertThat(RedisUrl.parse("redis-sentinel://s1:26379,s2:26379#music").sentinelMasterId()).isEqualTo("music");
        assertThat(RedisUrl.parse("redis-sentinel://s1/3?sentinelMasterId=m").database()).isEqualTo(3);
    }

    @Test
    void a_cluster_url_lists_seed_nodes() {
        RedisUrl url = RedisUrl.parse("redis-cluster://:pw@n1:7000,n2:7001,n3");
        assertThat(url.kind()).isEqualTo(Kind.CLUSTER);
        assertThat(url.nodes()).containsExactly(new Node("n1", 7000), new Node("n2", 7001), new Node("n3", 6379));
        assertThat(url.database()).isZero();
        assertThat(RedisUrl.parse("redis-cluster://n1:7000/0").database()).isZero();
    }

    @Test
    void the_description_and_the_string_form_never_show_the_password() {
        RedisUrl url = RedisUrl.parse("redis-sentinel://u:topsecret@s1:1,s2:2/?sentinelMasterId=m");
        assertThat(url.describe()).isEqualTo("redis-sentinel://s1:1,s2:2/?sentinelMasterId=m");
        assertThat(url.toString()).contains("user=u", "password=…").doesNotContain("topsecret");
        assertThat(RedisUrl.parse("redis://:topsecret@[::1]:7/1").describe()).isEqualTo("redis://[::1]:7/1");
    }

    @Test
    void bad_urls_are_refused_with_what_is_wrong_and_without_the_password() {
        List.of(
                new Refusal("http://h:1", "must look like redis://host:port"),
                new Refusal("h:6379", "must look like redis://host:port"),
                new Refusal("redis://", "names no host"),
                new Refusal("redis://:secret@h1:1,h2:2", "redis:// names one host"),
                new Refusal("redis-cluster://:secret@n1:7000,,n2:7001", "empty host"),
                new Refusal("redis-cluster://:secret@n1:70000", "a port is 1-65535"),
                new Refusal("redis-cluster://:secret@n1:x", "a port is 1-65535"),
                new Refusal("redis-cluster://:secret@::1:7000", "write an IPv6 address in [ ]"),
                new Refusal("redis-cluster://:secret@n1:7000/1", "a Redis Cluster has only database 0"),
                new Refusal("redis-cluster://:secret@n1:7000?sentinelMasterId=m", "unknown parameter \"sentinelMasterId\""),
                new Refusal("redis-sentinel://:secret@s1:26379", "needs ?sentinelMasterId=NAME"),
                new Refusal("redis-sentinel://:secret@s1/?sentinelMasterId=", "needs ?sentinelMasterId=NAME"),
                new Refusal("redis-sentinel://:secret@s1/?master=m", "unknown parameter \"master\""),
                new Refusal("redis://:secret@h/abc", "database (after the /) is not a number"),
                new Refusal("redis://:sec%zzret@h", "% that is not followed by two hex digits"),
                // A password with a stray '/' or '?' is taken as the password, never quoted as a host or path.
                new Refusal("redis://:sec/ret@h:x", "port"),
                new Refusal("redis://:sec?ret@h:x", "port"))
                .forEach(refusal -> assertThatThrownBy(() -> RedisUrl.parse(refusal.url()))
                        .as(refusal.url())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("REDIS_URL")
                        .hasMessageContaining(refusal.saying())
                        .hasMessageNotContaining("secret").hasMessageNotContaining("sec"));
    }

    private record Refusal(String url, String saying) {}
}
